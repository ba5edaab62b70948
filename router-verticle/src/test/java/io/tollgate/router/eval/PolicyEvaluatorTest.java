package io.tollgate.router.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.routing.RouteDecision;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Offline policy evaluation: IPS and doubly robust estimates on a seeded synthetic log with known values")
class PolicyEvaluatorTest {

  /** Success rates of deployments a, b, c; the logging policy chose them with 0.6, 0.3, 0.1. */
  private static final double[] SUCCESS = {0.3, 0.6, 0.9};
  private static final double[] LOGGING = {0.6, 0.3, 0.1};
  private static final String[] IDS = {"a", "b", "c"};
  /** No decay and a breaker that never opens, so a candidate's value is exactly its choice probabilities times the rates. */
  private static final RoutingOptions PLAIN = new RoutingOptions(null, 0L, null, null, null, null, null, null, null,
      null, null, Integer.MAX_VALUE, null, null, null);

  private static List<LoggedOutcome> syntheticLog(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<LoggedOutcome> log = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      int arm = u < LOGGING[0] ? 0 : u < LOGGING[0] + LOGGING[1] ? 1 : 2;
      boolean ok = rnd.nextDouble() < SUCCESS[arm];
      log.add(new LoggedOutcome(new Outcome("r" + i, 0, "m", IDS[arm], "mock",
          ok ? Outcome.Status.OK : Outcome.Status.ERROR, Usage.ZERO, 100, -1, ok ? null : ErrorCode.UPSTREAM_ERROR,
          null, null, null, new RouteDecision("weighted", "v1", LOGGING[arm], "random by weight"), BigDecimal.ZERO),
          -1));
    }
    return log;
  }

  private static ModelConfig candidate(String policy, int[] weights, int[] priorities) {
    List<DeploymentConfig> d = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      d.add(new DeploymentConfig(IDS[i], "mock", null, null, null, weights[i], priorities[i], null, null, null, null,
          null));
    }
    return new ModelConfig("m", null, policy, PLAIN, d);
  }

  private static EvalReport evaluate(ModelConfig candidate, List<LoggedOutcome> log, int samples) {
    return new PolicyEvaluator(candidate, new SplittableRandom(99), samples).evaluate(log);
  }

  @Test
  @DisplayName("always the best deployment (true value 0.9): both estimates land on it, their intervals cover it, "
      + "while the logged policy earned about 0.45")
  void deterministicBest() {
    List<LoggedOutcome> log = syntheticLog(20_000, 42);
    EvalReport r = evaluate(candidate("priority", new int[] {1, 1, 1}, new int[] {2, 1, 0}), log, 1);
    assertThat(r.decisions()).isEqualTo(20_000);
    assertThat(r.loggedValue()).isCloseTo(0.45, within(0.02));
    assertThat(r.ips().value()).isCloseTo(0.9, within(0.03));
    assertThat(r.ips().covers(0.9)).as("IPS interval %s", r.ips()).isTrue();
    assertThat(r.doublyRobust().value()).isCloseTo(0.9, within(0.02));
    assertThat(r.doublyRobust().covers(0.9)).as("DR interval %s", r.doublyRobust()).isTrue();
    assertThat(r.doublyRobust().stdError()).as("DR has lower variance than IPS here")
        .isLessThan(r.ips().stdError());
    assertThat(r.maxWeight()).isCloseTo(10, within(1e-9));
  }

  @Test
  @DisplayName("a stochastic candidate, weighted 1:1:2 (true value 0.675), measured by sampling the production policy")
  void stochasticCandidate() {
    List<LoggedOutcome> log = syntheticLog(10_000, 7);
    EvalReport r = evaluate(candidate("weighted", new int[] {1, 1, 2}, new int[] {0, 0, 0}), log, 64);
    double truth = 0.25 * 0.3 + 0.25 * 0.6 + 0.5 * 0.9;
    assertThat(r.ips().covers(truth)).as("IPS %s", r.ips()).isTrue();
    assertThat(r.doublyRobust().covers(truth)).as("DR %s", r.doublyRobust()).isTrue();
    assertThat(r.doublyRobust().value()).isCloseTo(truth, within(0.02));
    assertThat(r.snips()).isCloseTo(truth, within(0.03));
  }

  @Test
  @DisplayName("a learning candidate (thompson) replayed with the state it would have had settles near the best arm")
  void learningCandidate() {
    List<LoggedOutcome> log = syntheticLog(10_000, 11);
    EvalReport r = evaluate(candidate("thompson", new int[] {1, 1, 1}, new int[] {0, 0, 0}), log, 8);
    // Its value is a little below 0.9 (what it spends exploring); the estimate's noise is about 0.01.
    assertThat(r.doublyRobust().value()).isCloseTo(0.9, within(0.04));
    assertThat(r.doublyRobust().value()).isGreaterThan(r.loggedValue() + 0.3);
    assertThat(r.policy()).isEqualTo("thompson");
  }

  @Test
  @DisplayName("failover attempts, cancelled calls and request faults are not decisions; a bad line is named")
  void skipsAndErrors() throws IOException {
    String jsonl = """
        {"requestId":"r1","attempt":0,"model":"m","deploymentId":"a","provider":"mock","status":"OK","latencyMillis":5,\
        "decision":{"policy":"weighted","routingVersion":"v","propensity":0.5},"at":"2026-11-27T00:00:00Z"}
        {"requestId":"r2","attempt":1,"model":"m","deploymentId":"b","provider":"mock","status":"OK","latencyMillis":5,\
        "decision":{"policy":"weighted","routingVersion":"v","propensity":0.5}}

        {"requestId":"r3","attempt":0,"model":"m","deploymentId":"a","provider":"mock","status":"ERROR",\
        "error":"UPSTREAM_BAD_REQUEST","decision":{"policy":"weighted","routingVersion":"v","propensity":0.5}}
        """;
    List<LoggedOutcome> log = OutcomeLog.read(new StringReader(jsonl));
    assertThat(log).hasSize(3);
    assertThat(log.get(0).atMillis()).isEqualTo(java.time.Instant.parse("2026-11-27T00:00:00Z").toEpochMilli());
    EvalReport r = evaluate(candidate("priority", new int[] {1, 1, 1}, new int[] {0, 1, 2}), log, 1);
    assertThat(r.decisions()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(r.ips().value()).isEqualTo(2.0);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutcomeLog.read(new StringReader("{\"x\":1}\n[1]\n")))
        .hasMessageContaining("line 1");
  }
}
