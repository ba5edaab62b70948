package io.tollgate.router.policy;

import static io.tollgate.router.policy.Fixtures.deployment;
import static io.tollgate.router.policy.Fixtures.feed;
import static io.tollgate.router.policy.Fixtures.model;
import static io.tollgate.router.policy.Fixtures.noDecay;
import static io.tollgate.router.policy.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.routing.RouteDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each policy's choices over many decisions with a fixed seed: the counts are the same on every run,
 * and the tolerances are wide enough that any correct implementation passes with any seed.
 */
@DisplayName("Routing policies: what each chooses, in which order, with which propensity")
class LearningPoliciesTest {

  private static final int DRAWS = 20_000;

  private final Fixtures.FakeClock clock = new Fixtures.FakeClock();
  private final RoutingState state = new RoutingState(clock::now);
  private final Decider decider = new Decider(state, new SplittableRandom(42));

  private Decider.Decision decide(ModelConfig model) {
    return decider.decide(model, RoutingPolicy.forName(model.policy()), false);
  }

  /** How often each deployment was the first choice over {@link #DRAWS} decisions. */
  private Map<String, Double> shares(ModelConfig model) {
    Map<String, Double> counts = new HashMap<>();
    for (int i = 0; i < DRAWS; i++) {
      counts.merge(decide(model).candidates().get(0).id(), 1.0 / DRAWS, Double::sum);
    }
    return counts;
  }

  private static List<String> ids(Decider.Decision d) {
    return d.candidates().stream().map(DeploymentConfig::id).toList();
  }

  @Test
  @DisplayName("weighted: first choices follow the weights, the propensity is the exact share, the rest follow in priority order")
  void weighted() {
    ModelConfig model = model("weighted", null, deployment("a", 3, 0), deployment("b", 1, 1), deployment("c", 0, 2));
    assertThat(shares(model)).containsOnlyKeys("a", "b")
        .hasEntrySatisfying("a", s -> assertThat(s).isCloseTo(0.75, within(0.02)));
    for (int i = 0; i < 50; i++) {
      Decider.Decision d = decide(model);
      RouteDecision r = d.decision();
      assertThat(r.policy()).isEqualTo("weighted");
      assertThat(r.propensity()).isEqualTo(ids(d).get(0).equals("a") ? 0.75 : 0.25);
      assertThat(ids(d)).as("drained c never appears").containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  @DisplayName("epsilon-greedy with a fixed epsilon of 0.2: the best deployment gets 0.8 + 0.2/2 of first choices, "
      + "and the propensities say so exactly")
  void epsilonGreedy() {
    RoutingOptions opts = new RoutingOptions(null, 0L, 0.2, null, null, null, null, null, null, null, null, null, null,
        null, null);
    ModelConfig model = model("epsilon-greedy", opts, deployment("a", 1, 0), deployment("b", 1, 1));
    feed(state, model, "a", 5, 5);
    feed(state, model, "b", 9, 1);
    assertThat(shares(model).get("b")).isCloseTo(0.9, within(0.02));
    for (int i = 0; i < 50; i++) {
      Decider.Decision d = decide(model);
      boolean greedy = ids(d).get(0).equals("b");
      assertThat(d.decision().propensity()).isCloseTo(greedy ? 0.9 : 0.1, within(1e-12));
      assertThat(d.decision().reason()).isIn("explore", "exploit");
      assertThat(ids(d)).as("the rest by posterior mean").containsExactly(greedy ? "b" : "a", greedy ? "a" : "b");
    }
  }

  @Test
  @DisplayName("epsilon-greedy's decaying rate: all exploration before evidence, min(1, 5K/n) after, never under the floor")
  void epsilonDecays() {
    RoutingOptions defaults = RoutingOptions.DEFAULTS;
    assertThat(EpsilonGreedyPolicy.epsilon(defaults, 3, 0)).isEqualTo(1.0);
    assertThat(EpsilonGreedyPolicy.epsilon(defaults, 3, 150)).isCloseTo(0.1, within(1e-12));
    assertThat(EpsilonGreedyPolicy.epsilon(defaults, 3, 1e9)).isEqualTo(RoutingOptions.DEFAULT_EPSILON_MIN);
  }

  @Test
  @DisplayName("ucb1: every deployment is tried once first, then the highest upper bound wins, deterministically")
  void ucb1() {
    ModelConfig model = model("ucb1", noDecay(), deployment("a", 1, 0), deployment("b", 1, 1), deployment("c", 1, 2));
    feed(state, model, "a", 1, 0);
    Decider.Decision untried = decide(model);
    assertThat(ids(untried).get(0)).isEqualTo("b");
    assertThat(untried.decision().reason()).isEqualTo("not tried yet");
    assertThat(untried.decision().propensity()).isEqualTo(1.0);

    feed(state, model, "b", 1, 0);
    feed(state, model, "c", 1, 0);
    feed(state, model, "a", 90, 10); // 91/101
    feed(state, model, "b", 5, 5);   // 6/11
    feed(state, model, "c", 1, 0);   // 2/2: least tried, highest bonus
    // ln N = ln 115; a: 0.901 + sqrt(2 ln115/101) = 1.205; b: 0.545 + 0.923 = 1.468; c: 1 + 2.178 = 3.178
    assertThat(ids(decide(model))).containsExactly("c", "b", "a");
  }

  @Test
  @DisplayName("thompson: a deployment with clearly better evidence is chosen nearly always, with a propensity near 1")
  void thompsonExploits() {
    ModelConfig model = model("thompson", noDecay(), deployment("a", 1, 0), deployment("b", 1, 1));
    feed(state, model, "a", 50, 50);
    feed(state, model, "b", 95, 5);
    assertThat(shares(model).getOrDefault("a", 0.0)).isLessThan(0.001);
    Decider.Decision d = decide(model);
    assertThat(ids(d)).containsExactly("b", "a");
    assertThat(d.decision().propensity()).isGreaterThan(0.95);
  }

  @Test
  @DisplayName("thompson: the estimated propensities average to the observed share of first choices")
  void thompsonPropensityCalibrated() {
    ModelConfig model = model("thompson", noDecay(), deployment("a", 1, 0), deployment("b", 1, 1),
        deployment("c", 1, 2));
    feed(state, model, "a", 6, 4);
    feed(state, model, "b", 5, 5);
    feed(state, model, "c", 4, 6);
    int chosenA = 0;
    double propensityA = 0; // sum of inverse propensities of a's first choices
    for (int i = 0; i < DRAWS; i++) {
      Decider.Decision d = decide(model);
      if (ids(d).get(0).equals("a")) {
        chosenA++;
        // P(a) estimated on the draws where a won is biased up; E[1{a} / p] = 1 is the check IPS needs.
        propensityA += 1 / d.decision().propensity();
      }
    }
    double share = chosenA / (double) DRAWS;
    assertThat(share).isBetween(0.40, 0.60);
    // Inverse propensity weights of a's choices sum to about the number of decisions (within 10%).
    assertThat(propensityA / DRAWS).isCloseTo(1.0, within(0.1));
  }

  @Test
  @DisplayName("least-latency: unmeasured deployments first, then the lowest EWMA latency; streams rank by time to first token")
  void leastLatency() {
    ModelConfig model = model("least-latency", noDecay(), deployment("a", 1, 0), deployment("b", 1, 1));
    state.observe(ok("a", 500, 50), model);
    assertThat(ids(decide(model))).containsExactly("b", "a");
    assertThat(decide(model).decision().reason()).isEqualTo("not measured yet");

    state.observe(ok("b", 300, 200), model);
    assertThat(ids(decide(model))).as("b is faster overall").containsExactly("b", "a");
    Decider.Decision stream = decider.decide(model, RoutingPolicy.forName("least-latency"), true);
    assertThat(ids(stream)).as("a starts streaming sooner").containsExactly("a", "b");
    assertThat(stream.decision().reason()).isEqualTo("lowest time to first token");
    assertThat(stream.decision().propensity()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("every decision names the policy and the routing version, which changes with the model's routing")
  void versioned() {
    ModelConfig one = model("thompson", null, deployment("a", 1, 0), deployment("b", 1, 1));
    ModelConfig same = model("thompson", null, deployment("a", 1, 0), deployment("b", 1, 1));
    ModelConfig reweighted = model("thompson", null, deployment("a", 2, 0), deployment("b", 1, 1));
    String v = decide(one).decision().routingVersion();
    assertThat(v).hasSize(12).isEqualTo(RoutingVersion.of(same));
    assertThat(RoutingVersion.of(reweighted)).isNotEqualTo(v);
    assertThat(decide(one).decision().policy()).isEqualTo("thompson");
  }
}
