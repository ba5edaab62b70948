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
 * by Monte Carlo, pooled over recent decisions: every joint draw of the posteriors (the one that made
 * the choice and {@link #EXTRA_DRAWS} more per decision) updates each arm's running share of wins, an
 * exponentially weighted average over about {@code M = routing.propensity_samples} draws, and the
 * chosen arm's share is its propensity (never below {@code 1 / (M + 1)}, so inverse propensity
 * weights stay finite). Pooling costs {@code (1 + EXTRA_DRAWS) K} posterior draws per decision instead
 * of {@code (1 + M) K}; the price is that the estimate trails a posterior that moves by about
 * {@code M / (1 + EXTRA_DRAWS)} decisions, while posteriors move by one outcome in many.
 */
final class ThompsonPolicy implements RoutingPolicy {

  static final ThompsonPolicy INSTANCE = new ThompsonPolicy();

  /** Joint posterior draws per decision besides the one that chooses, for the propensity estimate. */
  static final int EXTRA_DRAWS = 3;

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
      int window = options.propensitySamplesOrDefault();
      double lambda = 1.0 / window;
      boolean fresh = false;
      for (ArmStats a : stats) {
        fresh |= Double.isNaN(a.winShare());
      }
      // A deployment new to the estimate (first decision, restored statistics): a full estimate first.
      int extra = fresh ? window : EXTRA_DRAWS;
      countWinner(stats, chosen, lambda);
      for (int m = 0; m < extra; m++) {
        countWinner(stats, winnerOfOneDraw(stats, random), lambda);
      }
      // Shares of arms that were out of rotation (open breaker) are stale: normalize over those in it.
      double total = 0;
      for (ArmStats a : stats) {
        total += a.winShare();
      }
      propensity = Math.min(1.0, Math.max(1.0 / (window + 1), stats[chosen].winShare() / total));
    }
    return new Choice(Ranking.firstThenByScore(arms, chosen, draws), propensity, "sampled from posterior");
  }

  private static int winnerOfOneDraw(ArmStats[] stats, RandomGenerator random) {
    double best = -1;
    int winner = 0;
    for (int i = 0; i < stats.length; i++) {
      double x = BetaSampler.sample(random, stats[i].alpha(), stats[i].beta());
      if (x > best) {
        best = x;
        winner = i;
      }
    }
    return winner;
  }

  private static void countWinner(ArmStats[] stats, int winner, double lambda) {
    for (int i = 0; i < stats.length; i++) {
      stats[i].countWin(i == winner, lambda, stats.length);
    }
  }
}
