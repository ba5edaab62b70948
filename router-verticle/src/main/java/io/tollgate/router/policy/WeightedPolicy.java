package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * First choice drawn with probability {@code weight / sum of weights} (of the deployments that may
 * be chosen now), then the rest in priority order. The propensity is exact.
 */
final class WeightedPolicy implements RoutingPolicy {

  static final WeightedPolicy INSTANCE = new WeightedPolicy();

  private WeightedPolicy() {
  }

  @Override
  public String name() {
    return ModelConfig.POLICY_WEIGHTED;
  }

  @Override
  public Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                       RandomGenerator random) {
    long total = 0;
    for (DeploymentConfig d : arms) {
      total += d.weight();
    }
    long r = random.nextLong(total);
    int chosen = 0;
    for (int i = 0; i < arms.size(); i++) {
      r -= arms.get(i).weight();
      if (r < 0) {
        chosen = i;
        break;
      }
    }
    return new Choice(Ranking.firstThenPriority(arms, chosen), arms.get(chosen).weight() / (double) total,
        "weighted draw");
  }
}
