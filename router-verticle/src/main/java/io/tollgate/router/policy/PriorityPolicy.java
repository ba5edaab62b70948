package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/** Ordered fallback: lowest {@code priority} first, config order among equals. Deterministic. */
final class PriorityPolicy implements RoutingPolicy {

  static final PriorityPolicy INSTANCE = new PriorityPolicy();

  private PriorityPolicy() {
  }

  @Override
  public String name() {
    return ModelConfig.POLICY_PRIORITY;
  }

  @Override
  public Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                       RandomGenerator random) {
    return new Choice(arms, 1.0, "priority order");
  }
}
