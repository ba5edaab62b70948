package io.tollgate.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Routing policies: priority order and policy names")
class PriorityPolicyTest {

  static DeploymentConfig deployment(String id, String provider, Integer weight, Integer priority) {
    return new DeploymentConfig(id, provider, null, null, null, weight, priority, null, null, null, null, null);
  }

  private static List<String> ids(ModelConfig model) {
    Decider decider = new Decider(new RoutingState(() -> 0L), new SplittableRandom(1));
    return decider.decide(model, RoutingPolicy.forName(model.policy()), false).candidates().stream()
        .map(DeploymentConfig::id).toList();
  }

  @Test
  @DisplayName("deployments are tried lowest priority first")
  void byPriority() {
    ModelConfig model = new ModelConfig("m", null, "priority", List.of(
        deployment("p2", "mock", 1, 2), deployment("p0", "mock", 1, 0), deployment("p1", "mock", 1, 1)));
    assertThat(ids(model)).containsExactly("p0", "p1", "p2");
  }

  @Test
  @DisplayName("equal priorities keep config order, and an unset priority counts as 0")
  void stableForEquals() {
    ModelConfig model = new ModelConfig("m", null, null, List.of(
        deployment("c", "mock", 1, 5), deployment("a", "mock", 1, 5), deployment("z", "mock", 1, null),
        deployment("b", "mock", 1, 5), deployment("y", "mock", null, 0)));
    assertThat(model.policy()).as("priority is the default policy").isEqualTo(ModelConfig.POLICY_PRIORITY);
    assertThat(ids(model)).containsExactly("z", "y", "c", "a", "b");
  }

  @Test
  @DisplayName("deployments with weight 0 are drained and never chosen")
  void dropsWeightZero() {
    ModelConfig model = new ModelConfig("m", null, "priority", List.of(
        deployment("drained", "mock", 0, 0), deployment("live", "mock", 3, 1), deployment("also-drained", "mock", 0, 2)));
    assertThat(ids(model)).containsExactly("live");

    ModelConfig allDrained = new ModelConfig("m", null, "priority", List.of(deployment("d", "mock", 0, 0)));
    assertThat(ids(allDrained)).isEmpty();
  }

  @Test
  @DisplayName("an unknown policy name is refused, naming the policy")
  void unknownPolicy() {
    assertThatThrownBy(() -> RoutingPolicy.forName("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> RoutingPolicy.forName("rules"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chooses a model");
    assertThatThrownBy(() -> RoutingPolicy.forName(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the priority policy is found by its name")
  void knownPolicy() {
    assertThat(RoutingPolicy.forName("priority")).isInstanceOf(PriorityPolicy.class);
  }
}
