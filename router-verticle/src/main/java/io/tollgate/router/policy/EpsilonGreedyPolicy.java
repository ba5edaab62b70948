package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * With probability epsilon a uniformly random deployment, otherwise the one with the highest mean
 * reward (a deployment never observed counts as best, so each is tried once). Epsilon is {@code routing.epsilon} if set, else
 * {@code max(epsilon_min, min(1, epsilon_scale * K / n))} with n the (decayed) number of observed
 * requests. The propensity is exact: {@code (1 - eps) * [greedy] + eps / K}. The rest follow by
 * mean reward. The empirical mean, not the posterior mean: shrinking a little-tried arm towards 1/2
 * makes it harder to leave a wrong greedy choice (measured: more lock-ins in the simulator).
 */
final class EpsilonGreedyPolicy implements RoutingPolicy {

  static final EpsilonGreedyPolicy INSTANCE = new EpsilonGreedyPolicy();

  private EpsilonGreedyPolicy() {
  }

  @Override
  public String name() {
    return ModelConfig.POLICY_EPSILON_GREEDY;
  }

  @Override
  public Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                       RandomGenerator random) {
    int k = arms.size();
    double[] means = new double[k];
    double n = 0;
    for (int i = 0; i < k; i++) {
      double tried = stats[i].requests();
      means[i] = tried > 0 ? stats[i].rewardSum() / tried : Double.POSITIVE_INFINITY;
      n += stats[i].requests();
    }
    double eps = epsilon(options, k, n);
    int greedy = Ranking.argmax(means);
    boolean explore = random.nextDouble() < eps;
    int chosen = explore ? random.nextInt(k) : greedy;
    double propensity = (chosen == greedy ? 1 - eps : 0) + eps / k;
    return new Choice(Ranking.firstThenByScore(arms, chosen, means), Math.min(1, propensity),
        explore ? "explore" : "exploit");
  }

  static double epsilon(RoutingOptions options, int k, double n) {
    if (options.epsilon() != null) {
      return options.epsilon();
    }
    double decaying = n <= 0 ? 1 : Math.min(1, options.epsilonScaleOrDefault() * k / n);
    return Math.max(options.epsilonMinOrDefault(), decaying);
  }
}
