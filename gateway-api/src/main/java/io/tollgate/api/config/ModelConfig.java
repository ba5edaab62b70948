package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * A model as clients see it: a public name (and aliases) served by one or more deployments under
 * a routing policy. {@code priority} (ordered fallback before the first byte) is the default.
 *
 * <p>The policy name is checked where a model enters the system (admin API, config file, import)
 * with {@link #policyError(String)}, not here: a node must still load a snapshot written by a newer
 * admin node that knows more policies (its router then refuses those models' requests clearly).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelConfig(String name, List<String> aliases, String policy, RoutingOptions routing,
                          List<DeploymentConfig> deployments) {

  public static final String POLICY_PRIORITY = "priority";
  public static final String POLICY_WEIGHTED = "weighted";
  public static final String POLICY_LEAST_LATENCY = "least-latency";
  public static final String POLICY_EPSILON_GREEDY = "epsilon-greedy";
  public static final String POLICY_UCB1 = "ucb1";
  public static final String POLICY_THOMPSON = "thompson";

  /** The routing policies this version implements. */
  public static final List<String> KNOWN_POLICIES = List.of(POLICY_PRIORITY, POLICY_WEIGHTED, POLICY_LEAST_LATENCY,
      POLICY_EPSILON_GREEDY, POLICY_UCB1, POLICY_THOMPSON);

  /** Extra time a router allows a connector beyond a deployment's start budget (a hop, a busy loop). */
  public static final long ATTEMPT_MARGIN_MS = 2_000;

  public ModelConfig {
    Objects.requireNonNull(name, "model name is required");
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    policy = policy == null ? POLICY_PRIORITY : policy;
    routing = routing == null ? RoutingOptions.DEFAULTS : routing;
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    if (deployments.isEmpty()) {
      throw new IllegalArgumentException("model " + name + ": at least one deployment is required");
    }
  }

  public ModelConfig(String name, List<String> aliases, String policy, List<DeploymentConfig> deployments) {
    this(name, aliases, policy, null, deployments);
  }

  /** Null if {@code policy} is one this version knows (null means the default), else the message for the user. */
  public static String policyError(String policy) {
    if (policy == null || KNOWN_POLICIES.contains(policy)) {
      return null;
    }
    return "unknown routing policy '" + policy + "' (known: " + String.join(", ", KNOWN_POLICIES) + ")";
  }

  /**
   * How long routing one request may take: each deployment that can be chosen gets its start
   * budget ({@link DeploymentConfig#maxStartMillis()} plus {@link #ATTEMPT_MARGIN_MS}), and the
   * whole chain is capped by {@code routing.budget_ms} (default {@link RoutingOptions#DEFAULT_BUDGET_MS}).
   */
  public long routeBudgetMs() {
    long chain = 0;
    for (DeploymentConfig d : deployments) {
      if (d.weight() > 0) {
        chain += d.maxStartMillis() + ATTEMPT_MARGIN_MS;
      }
    }
    long cap = routing.budgetMs() != null ? routing.budgetMs() : RoutingOptions.DEFAULT_BUDGET_MS;
    return Math.max(1, Math.min(chain, cap));
  }
}
