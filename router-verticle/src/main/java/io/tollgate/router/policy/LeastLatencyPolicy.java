package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Lowest EWMA latency of successful attempts first; for a streaming request the EWMA of time to
 * first token where the deployment has one. A deployment without a measurement goes first (in
 * priority order), so every deployment gets measured. Failures do not enter the EWMA: the breaker
 * keeps failing deployments away. Deterministic.
 */
final class LeastLatencyPolicy implements RoutingPolicy {

  static final LeastLatencyPolicy INSTANCE = new LeastLatencyPolicy();

  private LeastLatencyPolicy() {
  }

  @Override
  public String name() {
    return ModelConfig.POLICY_LEAST_LATENCY;
  }

  @Override
  public Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                       RandomGenerator random) {
    double[] scores = new double[arms.size()];
    for (int i = 0; i < scores.length; i++) {
      double ms = stream && !Double.isNaN(stats[i].ewmaTtftMs()) ? stats[i].ewmaTtftMs() : stats[i].ewmaLatencyMs();
      scores[i] = Double.isNaN(ms) ? Double.POSITIVE_INFINITY : -ms;
    }
    int chosen = Ranking.argmax(scores);
    String reason = scores[chosen] == Double.POSITIVE_INFINITY ? "not measured yet"
        : stream && !Double.isNaN(stats[chosen].ewmaTtftMs()) ? "lowest time to first token" : "lowest latency";
    return new Choice(Ranking.firstThenByScore(arms, chosen, scores), 1.0, reason);
  }
}
