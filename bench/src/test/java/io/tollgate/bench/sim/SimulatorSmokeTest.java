package io.tollgate.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A tiny run of the simulator; the full one is bench/simulate.sh, not part of the build. */
@DisplayName("Routing simulator: a short seeded run")
class SimulatorSmokeTest {

  @Test
  @DisplayName("on environment B, Thompson sampling's regret after 1,000 requests is a fraction of uniform routing's")
  void thompsonBeatsUniform() {
    Environment b = RoutingSimulator.ENVIRONMENTS.get(1);
    double thompson = 0;
    double uniform = 0;
    for (int seed = 0; seed < 3; seed++) {
      thompson += Simulation.run(b, "thompson", RoutingSimulator.PURE, 1_000, seed).regret();
      uniform += Simulation.run(b, "weighted", RoutingSimulator.PURE, 1_000, seed).regret();
    }
    // Uniform loses (0 + 0.25 + 0.45 + 0.65) / 4 per request: about 337 per 1,000.
    assertThat(uniform / 3).isCloseTo(337.5, within(40.0));
    assertThat(thompson).isLessThan(uniform / 5);
  }

  @Test
  @DisplayName("the Lai-Robbins constant of environment A matches the issue's 58.4 at T = 10,000")
  void laiRobbins() {
    assertThat(RoutingSimulator.ENVIRONMENTS.get(0).laiRobbinsConstant() * Math.log(10_000)).isCloseTo(58.4,
        within(0.1));
  }

  @Test
  @DisplayName("with the default breaker, a best arm that dies at t = 200 is abandoned within 50 requests")
  void deadArmAbandoned() {
    Environment a = RoutingSimulator.ENVIRONMENTS.get(0).withDeathOfBestAt(200);
    Simulation.Result r = Simulation.run(a, "thompson", io.tollgate.api.config.RoutingOptions.DEFAULTS, 600, 1);
    int n = Simulation.requestsUntilAbandoned(a, r.firstChoices(), 100);
    assertThat(n).isBetween(0, 50);
  }
}
