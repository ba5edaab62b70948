package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A model's {@code routing} settings. Every field is optional; the accessors named {@code ...OrDefault}
 * give the value in force (the field, or its {@code DEFAULT_} constant). The learning policies share
 * one set of statistics per deployment, so these options apply whichever policy reads them.
 *
 * @param budgetMs            the most one request may spend on routing: trying candidates one after the
 *                            other until one starts streaming. The router stops failing over when it is
 *                            spent and the edge waits for the router no longer than it (plus a hop margin).
 *                            Without it, the budget is the sum of the candidates' start budgets, capped at
 *                            {@link #DEFAULT_BUDGET_MS}.
 * @param halfLifeMs          statistics (counts, Beta posteriors) lose half their weight in this time, so
 *                            the router follows a deployment that slows down or recovers; 0 keeps all history
 * @param epsilon             {@code epsilon-greedy}: a fixed exploration rate; unset means the decaying
 *                            rate {@code max(epsilon_min, min(1, epsilon_scale * K / n))}
 * @param epsilonScale        the {@code c} of the decaying rate (K deployments, n requests observed)
 * @param epsilonMin          the floor of the decaying rate: some exploration never stops, so a recovered
 *                            deployment is noticed
 * @param ucbExploration      {@code ucb1}: the {@code c} of {@code mean + sqrt(c ln N / n_i)} (2 is UCB1)
 * @param latencyWeight       reward: weight of latency, see {@link #reward}
 * @param latencyRefMs        reward: latency (ms) that costs the whole latency weight
 * @param costWeight          reward: weight of cost
 * @param costRefUsd          reward: cost (USD per call) that costs the whole cost weight
 * @param latencyEwmaAlpha    {@code least-latency}: weight of the newest latency sample in the EWMA
 * @param breakerFailures     consecutive failures that open a deployment's circuit breaker
 * @param breakerCooldownMs   how long a breaker stays open before one half-open probe is let through
 * @param rateLimitCooldownMs how long an upstream 429 keeps a deployment out of rotation
 * @param propensitySamples   {@code thompson}: Monte Carlo draws used to estimate the propensity
 * @param maxAttempts         the per-request attempt budget: calls to upstreams (first tries, failovers and
 *                            retries together) one request may make, within {@code budget_ms}
 * @param retries             further tries of the same deployment after a failure that may pass (connect
 *                            error, 5xx, 429, first-byte timeout), taken once no untried candidate is left:
 *                            another deployment is a better second try than the one that just failed
 * @param retryBackoffMs      base of the exponential backoff between tries of the same deployment: before
 *                            retry {@code n} (from 1) the router waits a uniformly random time in
 *                            {@code [0, min(retry_backoff_max_ms, retry_backoff_ms * 2^(n-1))]} ("full
 *                            jitter"), or the upstream's {@code Retry-After} if that is longer
 * @param retryBackoffMaxMs   cap of one backoff wait
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RoutingOptions(Long budgetMs, Long halfLifeMs, Double epsilon, Double epsilonScale, Double epsilonMin,
                             Double ucbExploration, Double latencyWeight, Long latencyRefMs, Double costWeight,
                             Double costRefUsd, Double latencyEwmaAlpha, Integer breakerFailures,
                             Long breakerCooldownMs, Long rateLimitCooldownMs, Integer propensitySamples,
                             Integer maxAttempts, Integer retries, Long retryBackoffMs, Long retryBackoffMaxMs) {

  /** Two minutes: enough for two candidates with the default connect + first-byte timeouts. */
  public static final long DEFAULT_BUDGET_MS = 120_000;
  /** Ten minutes: a deployment that changes is followed within minutes, yet one quiet hour is not forgotten at once. */
  public static final long DEFAULT_HALF_LIFE_MS = 600_000;
  public static final double DEFAULT_EPSILON_SCALE = 5.0;
  public static final double DEFAULT_EPSILON_MIN = 0.01;
  public static final double DEFAULT_UCB_EXPLORATION = 2.0;
  /** Zero: by default the reward is success alone. */
  public static final double DEFAULT_LATENCY_WEIGHT = 0.0;
  public static final long DEFAULT_LATENCY_REF_MS = 10_000;
  public static final double DEFAULT_COST_WEIGHT = 0.0;
  public static final double DEFAULT_COST_REF_USD = 0.01;
  public static final double DEFAULT_LATENCY_EWMA_ALPHA = 0.2;
  public static final int DEFAULT_BREAKER_FAILURES = 5;
  public static final long DEFAULT_BREAKER_COOLDOWN_MS = 30_000;
  public static final long DEFAULT_RATE_LIMIT_COOLDOWN_MS = 5_000;
  public static final int DEFAULT_PROPENSITY_SAMPLES = 32;
  /** Ten calls: more than any sane failover chain, fewer than a retry storm. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final int DEFAULT_RETRIES = 1;
  public static final long DEFAULT_RETRY_BACKOFF_MS = 200;
  public static final long DEFAULT_RETRY_BACKOFF_MAX_MS = 5_000;

  public static final RoutingOptions DEFAULTS = new RoutingOptions((Long) null);

  public RoutingOptions {
    if (budgetMs != null && budgetMs <= 0) {
      throw new IllegalArgumentException("routing.budget_ms must be > 0");
    }
    nonNegative("half_life_ms", halfLifeMs);
    fraction("epsilon", epsilon);
    fraction("epsilon_min", epsilonMin);
    nonNegative("epsilon_scale", epsilonScale);
    nonNegative("ucb_exploration", ucbExploration);
    fraction("latency_weight", latencyWeight);
    fraction("cost_weight", costWeight);
    positive("latency_ref_ms", latencyRefMs);
    positive("cost_ref_usd", costRefUsd);
    if (latencyEwmaAlpha != null && !(latencyEwmaAlpha > 0 && latencyEwmaAlpha <= 1)) {
      throw new IllegalArgumentException("routing.latency_ewma_alpha must be within (0, 1]");
    }
    positive("breaker_failures", breakerFailures);
    nonNegative("breaker_cooldown_ms", breakerCooldownMs);
    nonNegative("rate_limit_cooldown_ms", rateLimitCooldownMs);
    positive("propensity_samples", propensitySamples);
    positive("max_attempts", maxAttempts);
    nonNegative("retries", retries);
    nonNegative("retry_backoff_ms", retryBackoffMs);
    nonNegative("retry_backoff_max_ms", retryBackoffMaxMs);
    double weights = (latencyWeight == null ? 0 : latencyWeight) + (costWeight == null ? 0 : costWeight);
    if (weights > 1) {
      throw new IllegalArgumentException("routing.latency_weight + routing.cost_weight must be <= 1");
    }
  }

  public RoutingOptions(Long budgetMs, Long halfLifeMs, Double epsilon, Double epsilonScale, Double epsilonMin,
                        Double ucbExploration, Double latencyWeight, Long latencyRefMs, Double costWeight,
                        Double costRefUsd, Double latencyEwmaAlpha, Integer breakerFailures,
                        Long breakerCooldownMs, Long rateLimitCooldownMs, Integer propensitySamples) {
    this(budgetMs, halfLifeMs, epsilon, epsilonScale, epsilonMin, ucbExploration, latencyWeight, latencyRefMs,
        costWeight, costRefUsd, latencyEwmaAlpha, breakerFailures, breakerCooldownMs, rateLimitCooldownMs,
        propensitySamples, null, null, null, null);
  }

  public RoutingOptions(Long budgetMs) {
    this(budgetMs, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public int maxAttemptsOrDefault() {
    return maxAttempts != null ? maxAttempts : DEFAULT_MAX_ATTEMPTS;
  }

  public int retriesOrDefault() {
    return retries != null ? retries : DEFAULT_RETRIES;
  }

  public long retryBackoffMsOrDefault() {
    return retryBackoffMs != null ? retryBackoffMs : DEFAULT_RETRY_BACKOFF_MS;
  }

  public long retryBackoffMaxMsOrDefault() {
    return retryBackoffMaxMs != null ? retryBackoffMaxMs : DEFAULT_RETRY_BACKOFF_MAX_MS;
  }

  public long halfLifeMsOrDefault() {
    return halfLifeMs != null ? halfLifeMs : DEFAULT_HALF_LIFE_MS;
  }

  public double epsilonScaleOrDefault() {
    return epsilonScale != null ? epsilonScale : DEFAULT_EPSILON_SCALE;
  }

  public double epsilonMinOrDefault() {
    return epsilonMin != null ? epsilonMin : DEFAULT_EPSILON_MIN;
  }

  public double ucbExplorationOrDefault() {
    return ucbExploration != null ? ucbExploration : DEFAULT_UCB_EXPLORATION;
  }

  public double latencyEwmaAlphaOrDefault() {
    return latencyEwmaAlpha != null ? latencyEwmaAlpha : DEFAULT_LATENCY_EWMA_ALPHA;
  }

  public int breakerFailuresOrDefault() {
    return breakerFailures != null ? breakerFailures : DEFAULT_BREAKER_FAILURES;
  }

  public long breakerCooldownMsOrDefault() {
    return breakerCooldownMs != null ? breakerCooldownMs : DEFAULT_BREAKER_COOLDOWN_MS;
  }

  public long rateLimitCooldownMsOrDefault() {
    return rateLimitCooldownMs != null ? rateLimitCooldownMs : DEFAULT_RATE_LIMIT_COOLDOWN_MS;
  }

  public int propensitySamplesOrDefault() {
    return propensitySamples != null ? propensitySamples : DEFAULT_PROPENSITY_SAMPLES;
  }

  /**
   * The reward of one attempt in [0, 1]: 0 for a failure, otherwise
   * {@code 1 - wl * min(1, latency / latency_ref) - wc * min(1, cost / cost_ref)} with
   * {@code wl + wc <= 1}. With both weights 0 (the default) the reward is plain success.
   */
  public double reward(boolean success, long latencyMs, double costUsd) {
    if (!success) {
      return 0;
    }
    double wl = latencyWeight != null ? latencyWeight : DEFAULT_LATENCY_WEIGHT;
    double wc = costWeight != null ? costWeight : DEFAULT_COST_WEIGHT;
    long latRef = latencyRefMs != null ? latencyRefMs : DEFAULT_LATENCY_REF_MS;
    double costRef = costRefUsd != null ? costRefUsd : DEFAULT_COST_REF_USD;
    double r = 1 - wl * Math.min(1, Math.max(0, latencyMs) / (double) latRef)
        - wc * Math.min(1, Math.max(0, costUsd) / costRef);
    return Math.max(0, Math.min(1, r));
  }

  private static void nonNegative(String name, Number value) {
    if (value != null && !(value.doubleValue() >= 0)) {
      throw new IllegalArgumentException("routing." + name + " must be >= 0");
    }
  }

  private static void positive(String name, Number value) {
    if (value != null && !(value.doubleValue() > 0)) {
      throw new IllegalArgumentException("routing." + name + " must be > 0");
    }
  }

  private static void fraction(String name, Double value) {
    if (value != null && !(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("routing." + name + " must be within [0, 1]");
    }
  }
}
