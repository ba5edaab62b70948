package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model as clients see it: a public name (and aliases) served by one or more deployments under
 * a routing policy. {@code priority} (ordered fallback before the first byte) is the default.
 *
 * <p>The policy name is checked where a model enters the system (admin API, config file, import)
 * with {@link #policyError(String)}, not here: a node must still load a snapshot written by a newer
 * admin node that knows more policies (its router then refuses those models' requests clearly).
 *
 * <p>{@code cache} (null: none) opts a chat model in to the exact response cache and tunes an
 * embedding model's cache; see {@link CacheConfig}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelConfig(String name, List<String> aliases, String policy, RoutingOptions routing,
                          List<DeploymentConfig> deployments, List<RouteRule> rules, RoutingCanary canary,
                          CacheConfig cache) {

  public static final String POLICY_PRIORITY = "priority";
  public static final String POLICY_WEIGHTED = "weighted";
  public static final String POLICY_LEAST_LATENCY = "least-latency";
  public static final String POLICY_EPSILON_GREEDY = "epsilon-greedy";
  public static final String POLICY_UCB1 = "ucb1";
  public static final String POLICY_THOMPSON = "thompson";
  /** Chooses another model by {@link #rules()}; such a model needs no deployments of its own. */
  public static final String POLICY_RULES = "rules";

  /** The routing policies this version implements. */
  public static final List<String> KNOWN_POLICIES = List.of(POLICY_PRIORITY, POLICY_WEIGHTED, POLICY_LEAST_LATENCY,
      POLICY_EPSILON_GREEDY, POLICY_UCB1, POLICY_THOMPSON, POLICY_RULES);

  /** Extra time a router allows a connector beyond a deployment's start budget (a hop, a busy loop). */
  public static final long ATTEMPT_MARGIN_MS = 2_000;

  public ModelConfig {
    Objects.requireNonNull(name, "model name is required");
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    policy = policy == null ? POLICY_PRIORITY : policy;
    routing = routing == null ? RoutingOptions.DEFAULTS : routing;
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    rules = rules == null || rules.isEmpty() ? null : List.copyOf(rules);
    if (deployments.isEmpty() && !(POLICY_RULES.equals(policy) && rules != null)) {
      throw new IllegalArgumentException("model " + name + ": at least one deployment is required");
    }
  }

  public ModelConfig(String name, List<String> aliases, String policy, RoutingOptions routing,
                     List<DeploymentConfig> deployments, List<RouteRule> rules, RoutingCanary canary) {
    this(name, aliases, policy, routing, deployments, rules, canary, null);
  }

  public ModelConfig(String name, List<String> aliases, String policy, RoutingOptions routing,
                     List<DeploymentConfig> deployments, List<RouteRule> rules) {
    this(name, aliases, policy, routing, deployments, rules, null, null);
  }

  public ModelConfig(String name, List<String> aliases, String policy, RoutingOptions routing,
                     List<DeploymentConfig> deployments) {
    this(name, aliases, policy, routing, deployments, null, null, null);
  }

  /** This model with other deployments, everything else kept (masking credentials, expanding rules). */
  public ModelConfig withDeployments(List<DeploymentConfig> replaced) {
    return new ModelConfig(name, aliases, policy, routing, replaced, rules, canary, cache);
  }

  /** This model with another canary (null: none, which rolls a canary back). */
  public ModelConfig withCanary(RoutingCanary replaced) {
    return new ModelConfig(name, aliases, policy, routing, deployments, rules, replaced, cache);
  }

  /**
   * The model as its canary routes it: the canary's policy, routing options and weights over this
   * model's deployments, without a canary. Promoting a canary makes this the model.
   */
  public ModelConfig canaryApplied() {
    if (canary == null) {
      return this;
    }
    List<DeploymentConfig> weighted = new java.util.ArrayList<>(deployments.size());
    for (DeploymentConfig d : deployments) {
      Integer w = canary.weights().get(d.id());
      // The wither keeps every field (prices, credentials, provider settings), not just the ones known here.
      weighted.add(w == null ? d : d.withWeight(w));
    }
    return new ModelConfig(name, aliases, canary.policy() != null ? canary.policy() : policy,
        canary.routing() != null ? canary.routing() : routing, weighted, rules, null, cache);
  }

  /** This model with another cache block (null: no response cache; embeddings keep their default). */
  public ModelConfig withCache(CacheConfig replaced) {
    return new ModelConfig(name, aliases, policy, routing, deployments, rules, canary, replaced);
  }

  /** Null if the cache block (if any) is valid, else {@code [param, message]}. */
  public String[] cacheError() {
    return cache == null ? null : cache.error("cache");
  }

  /** Null if the canary (if any) fits the model, else {@code [param, message]}. */
  public String[] canaryError() {
    if (canary == null) {
      return null;
    }
    if (routesByRules()) {
      return new String[] {"canary", "a rules model has no deployments of its own to canary"};
    }
    String policyError = policyError(canary.policy());
    if (policyError != null || POLICY_RULES.equals(canary.policy())) {
      return new String[] {"canary.policy", policyError != null ? policyError : "a canary cannot switch to rules"};
    }
    if (canary.percent() != null && !(canary.percent() >= 0 && canary.percent() <= 100)) {
      return new String[] {"canary.percent", "canary.percent must be within [0, 100]"};
    }
    for (Map.Entry<String, Integer> w : canary.weights().entrySet()) {
      if (deployments.stream().noneMatch(d -> d.id().equals(w.getKey()))) {
        return new String[] {"canary.weights", "canary.weights names '" + w.getKey() + "', not a deployment of "
            + name};
      }
      if (w.getValue() == null || w.getValue() < 0) {
        return new String[] {"canary.weights", "canary.weights." + w.getKey() + " must be >= 0"};
      }
    }
    if (canaryApplied().deployments().stream().noneMatch(d -> d.weight() > 0)) {
      return new String[] {"canary.weights", "the canary leaves no deployment with weight > 0"};
    }
    return null;
  }

  public ModelConfig(String name, List<String> aliases, String policy, List<DeploymentConfig> deployments) {
    this(name, aliases, policy, null, deployments);
  }

  /**
   * Null if the model's rules are consistent with its policy, else {@code [param, message]} for the
   * user: a {@code rules} model needs rules, each with a name and a target other than itself, and
   * sensible bounds; other policies take no rules. Checked where models enter, like {@link #policyError}.
   */
  public String[] rulesError() {
    if (!POLICY_RULES.equals(policy)) {
      return rules == null ? null : new String[] {"rules", "'rules' need policy: rules (the policy is " + policy + ")"};
    }
    if (rules == null) {
      return new String[] {"rules", "policy rules needs a non-empty list 'rules'"};
    }
    for (int i = 0; i < rules.size(); i++) {
      RouteRule r = rules.get(i);
      String at = "rules[" + i + "]";
      if (r == null) {
        return new String[] {at, at + " must be an object"};
      }
      if (r.name() == null || r.name().isBlank()) {
        return new String[] {at + ".name", at + ".name is required (it is the reason given for the decision)"};
      }
      if (r.model() == null || r.model().isBlank()) {
        return new String[] {at + ".model", at + ".model (the target model) is required"};
      }
      if (r.model().equals(name) || aliases.contains(r.model())) {
        return new String[] {at + ".model", at + ".model must name another model, not " + name + " itself"};
      }
      RouteRule.Condition c = r.when();
      if (c != null) {
        if (c.minPromptTokens() != null && c.minPromptTokens() < 0
            || c.maxPromptTokens() != null && c.maxPromptTokens() < 0) {
          return new String[] {at + ".when", at + ".when: prompt token bounds must be >= 0"};
        }
        if (c.minPromptTokens() != null && c.maxPromptTokens() != null && c.minPromptTokens() > c.maxPromptTokens()) {
          return new String[] {at + ".when", at + ".when: min_prompt_tokens is above max_prompt_tokens"};
        }
        if (c.keywords() != null && c.keywords().stream().anyMatch(k -> k == null || k.isBlank())) {
          return new String[] {at + ".when.keywords", at + ".when.keywords must be non-empty strings"};
        }
      }
    }
    return null;
  }

  /** Whether this model only chooses another model ({@code policy: rules}). */
  public boolean routesByRules() {
    return POLICY_RULES.equals(policy) && rules != null;
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
    if (deployments.isEmpty()) {
      // A rules model: its targets' chains are not known here; routing.budget_ms, else the default cap.
      return routing.budgetMs() != null ? routing.budgetMs() : RoutingOptions.DEFAULT_BUDGET_MS;
    }
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
