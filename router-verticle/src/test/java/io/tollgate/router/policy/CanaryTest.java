package io.tollgate.router.policy;

import static io.tollgate.router.policy.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingCanary;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Versioned routing with canaries: a share of tenants by stable hash, named tenants, rollback")
class CanaryTest {

  private final Fixtures.FakeClock clock = new Fixtures.FakeClock();
  private final Decider decider = new Decider(new RoutingState(clock::now), new SplittableRandom(5));
  private final ModelConfig stable = Fixtures.model("priority", Fixtures.noDecay(), deployment("a", 1, 0),
      deployment("b", 1, 1));
  /** The canary moves all traffic to b with thompson over it. */
  private final ModelConfig withCanary = stable.withCanary(new RoutingCanary("thompson", null, Map.of("a", 0), 20.0,
      List.of("vip")));

  private String versionServing(ModelConfig model, String tenant) {
    ModelConfig routing = decider.routingFor(model, tenant);
    return decider.decide(routing, RoutingPolicy.forName(routing.policy()), false).decision().routingVersion();
  }

  @Test
  @DisplayName("a 20% rollout routes about 20% of tenants to the canary's version, each tenant always the same way; "
      + "rolling back restores the stable version for all")
  void twentyPercent() {
    String stableVersion = RoutingVersion.of(stable);
    String canaryVersion = RoutingVersion.of(withCanary.canaryApplied());
    assertThat(canaryVersion).isNotEqualTo(stableVersion);
    assertThat(RoutingVersion.of(withCanary)).as("adding a canary does not change the stable version")
        .isEqualTo(stableVersion);

    int onCanary = 0;
    for (int t = 0; t < 2_000; t++) {
      String tenant = "tenant-" + t;
      String first = versionServing(withCanary, tenant);
      assertThat(first).isIn(stableVersion, canaryVersion);
      for (int again = 0; again < 3; again++) {
        assertThat(versionServing(withCanary, tenant)).as("stable across requests").isEqualTo(first);
      }
      onCanary += first.equals(canaryVersion) ? 1 : 0;
    }
    // Binomial(2000, 0.2) has sd ~18; a fixed hash makes the count fixed, the bound says "about 20%".
    assertThat(onCanary).isBetween(340, 460);

    ModelConfig rolledBack = withCanary.withCanary(null);
    for (int t = 0; t < 200; t++) {
      assertThat(versionServing(rolledBack, "tenant-" + t)).isEqualTo(stableVersion);
    }
  }

  @Test
  @DisplayName("named tenants always get the canary, whose policy and weights then decide")
  void namedTenants() {
    ModelConfig named = stable.withCanary(new RoutingCanary(null, null, Map.of("a", 0), null, List.of("vip")));
    ModelConfig routing = decider.routingFor(named, "vip");
    assertThat(decider.decide(routing, RoutingPolicy.forName(routing.policy()), false).candidates())
        .extracting(d -> d.id()).containsExactly("b");
    assertThat(decider.routingFor(named, "someone-else")).isSameAs(named);
    assertThat(decider.routingFor(named, "vip")).as("computed once per config").isSameAs(routing);
  }

  @Test
  @DisplayName("a canary is checked where models enter: known policy, percent within [0, 100], weights of its own "
      + "deployments, some deployment left to serve")
  void validation() {
    assertThat(withCanary.canaryError()).isNull();
    assertThat(stable.withCanary(new RoutingCanary("nope", null, null, 5.0, null)).canaryError()[0])
        .isEqualTo("canary.policy");
    assertThat(stable.withCanary(new RoutingCanary(null, null, null, 101.0, null)).canaryError()[0])
        .isEqualTo("canary.percent");
    assertThat(stable.withCanary(new RoutingCanary(null, null, Map.of("zz", 1), 5.0, null)).canaryError()[1])
        .contains("'zz'");
    assertThat(stable.withCanary(new RoutingCanary(null, null, Map.of("a", 0, "b", 0), 5.0, null)).canaryError()[1])
        .contains("no deployment with weight > 0");
  }
}
