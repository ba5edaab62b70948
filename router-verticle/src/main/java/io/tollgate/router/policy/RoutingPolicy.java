package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Orders a model's choosable deployments into the candidates to try, first choice first, and says
 * with which probability the first choice was picked.
 *
 * <p>Policies are stateless: what they learn from is the shared {@link ArmStats} that the router
 * updates from every published outcome ({@link RoutingState#observe}), so all policies learn from
 * the same evidence and switching a model's policy keeps what was learned. A policy never blocks
 * and allocates little more than its answer.
 */
public interface RoutingPolicy {

  String name();

  /**
   * @param arms    the deployments that may be chosen (weight above 0, breaker not open), in
   *                priority order (lowest {@code priority} first, config order among equals)
   * @param stats   the statistics of each arm, aligned with {@code arms}
   * @param stream  whether the client streams (least-latency then ranks by time to first token)
   * @param random  the router instance's own generator (seeded in tests and in the simulator)
   */
  Choice choose(List<DeploymentConfig> arms, ArmStats[] stats, RoutingOptions options, boolean stream,
                RandomGenerator random);

  /** The candidates in order, the probability of the first one, and why it was chosen. */
  record Choice(List<DeploymentConfig> candidates, double propensity, String reason) {
  }

  /** The policy named in a model's config; unknown names are refused where models enter the system. */
  static RoutingPolicy forName(String name) {
    RoutingPolicy policy = forNameOrNull(name);
    if (policy == null) {
      throw new IllegalArgumentException(name == null ? "no routing policy named"
          : ModelConfig.POLICY_RULES.equals(name) ? "policy 'rules' chooses a model, not a deployment (see Rules)"
          : ModelConfig.policyError(name));
    }
    return policy;
  }

  /** The policy, or null if this version does not implement it. */
  static RoutingPolicy forNameOrNull(String name) {
    if (name == null) {
      return null;
    }
    return switch (name) {
      case ModelConfig.POLICY_PRIORITY -> PriorityPolicy.INSTANCE;
      case ModelConfig.POLICY_WEIGHTED -> WeightedPolicy.INSTANCE;
      case ModelConfig.POLICY_LEAST_LATENCY -> LeastLatencyPolicy.INSTANCE;
      case ModelConfig.POLICY_EPSILON_GREEDY -> EpsilonGreedyPolicy.INSTANCE;
      case ModelConfig.POLICY_UCB1 -> Ucb1Policy.INSTANCE;
      case ModelConfig.POLICY_THOMPSON -> ThompsonPolicy.INSTANCE;
      default -> null;
    };
  }
}
