package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * UCB1: a deployment never observed first (priority order), otherwise the highest
 * {@code mean reward + sqrt(c ln N / n_i)} (c = {@code routing.ucb_exploration}, 2 by default; N
 * and n_i decayed counts, so confidence fades with the half-life and old arms are re-checked). The
 * rest follow by that index. Deterministic.
 */
final class Ucb1Policy implements RoutingPolicy {

  static final Ucb1Policy INSTANCE = new Ucb1Policy();

  private Ucb1Policy() {
  }

  @Override
  public String name() {
    return ModelConfig.POLICY_UCB1;
  }

  @Override
  public Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                       RandomGenerator random) {
    int k = arms.size();
    double total = 0;
    for (ArmStats s : stats) {
      total += s.requests();
    }
    double logN = Math.log(Math.max(total, 1));
    double c = options.ucbExplorationOrDefault();
    double[] index = new double[k];
    boolean untried = false;
    for (int i = 0; i < k; i++) {
      double n = stats[i].requests();
      if (n <= 0) {
        index[i] = Double.POSITIVE_INFINITY;
        untried = true;
      } else {
        index[i] = stats[i].rewardSum() / n + Math.sqrt(c * logN / n);
      }
    }
    int chosen = Ranking.argmax(index);
    return new Choice(Ranking.firstThenByScore(arms, chosen, index), 1.0,
        untried && index[chosen] == Double.POSITIVE_INFINITY ? "not tried yet" : "highest upper confidence bound");
  }
}
