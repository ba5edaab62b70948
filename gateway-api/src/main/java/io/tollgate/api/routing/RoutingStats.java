package io.tollgate.api.routing;

import java.util.List;

/**
 * Router -> admin: what one router node has learned about a model's deployments. Every router node
 * applies every published outcome, so any node answers (nearly) the same.
 *
 * @param model          the model's public name
 * @param policy         the model's routing policy
 * @param routingVersion the version of the model's routing configuration in force
 * @param deployments    one entry per deployment of the model, in config order
 * @param canaryVersion  the routing version of the model's canary, null without one
 */
public record RoutingStats(String model, String policy, String routingVersion, List<DeploymentStats> deployments,
                           String canaryVersion) {

  public RoutingStats {
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
  }

  public RoutingStats(String model, String policy, String routingVersion, List<DeploymentStats> deployments) {
    this(model, policy, routingVersion, deployments, null);
  }

  /**
   * One deployment's statistics. Counts are decayed by the model's half-life, hence fractional.
   *
   * @param requests      attempts that count for learning (successes + failures)
   * @param ewmaLatencyMs EWMA of successful attempts' latency, null before the first
   * @param ewmaTtftMs    EWMA of time to first token of streamed attempts, null before the first
   * @param breaker       {@code closed}, {@code open} or {@code half_open}
   * @param alpha         Beta posterior of the reward: 1 + decayed reward sum
   * @param beta          1 + decayed (requests - reward sum)
   * @param meanCostUsd   decayed mean cost of successful attempts, USD
   */
  public record DeploymentStats(String id, double requests, double successes, double failures,
                                Double ewmaLatencyMs, Double ewmaTtftMs, String breaker, int consecutiveFailures,
                                double alpha, double beta, double meanCostUsd) {
  }
}
