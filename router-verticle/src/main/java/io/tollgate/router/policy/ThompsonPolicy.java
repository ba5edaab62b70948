package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Thompson sampling on the Beta posterior of each deployment's reward (success, or the composite
 * reward of {@link RoutingOptions#reward}): draw one value per deployment, choose the highest, the
 * rest follow by their draws.
 *
 * <p>The propensity (the probability that this arm wins a draw) has no closed form; it is estimated
 * by {@code M = routing.propensity_samples} further independent draws as {@code (1 + wins) / (1 + M)},
 * counting the draw that made the choice. That estimate is never 0 (inverse propensity weights stay
 * finite) and its resolution is {@code 1 / (M + 1)}.
 */
final class ThompsonPolicy implements RoutingPolicy {

  static final ThompsonPolicy INSTANCE = new ThompsonPolicy();

  private ThompsonPolicy() {
  }

  @Override
  public String name() {
    return ModelConfig.POLICY_THOMPSON;
  }

  @Override
  public Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                       RandomGenerator random) {
    int k = arms.size();
    double[] draws = new double[k];
    for (int i = 0; i < k; i++) {
      draws[i] = BetaSampler.sample(random, stats[i].alpha(), stats[i].beta());
    }
    int chosen = Ranking.argmax(draws);
    double propensity = 1.0;
    if (k > 1) {
      int samples = options.propensitySamplesOrDefault();
      int wins = 0;
      for (int m = 0; m < samples; m++) {
        double mine = BetaSampler.sample(random, stats[chosen].alpha(), stats[chosen].beta());
        boolean won = true;
        for (int i = 0; i < k && won; i++) {
          won = i == chosen || BetaSampler.sample(random, stats[i].alpha(), stats[i].beta()) < mine;
        }
        wins += won ? 1 : 0;
      }
      propensity = (1.0 + wins) / (1.0 + samples);
    }
    return new Choice(Ranking.firstThenByScore(arms, chosen, draws), propensity, "sampled from posterior");
  }
}
