package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A model's {@code routing} settings.
 *
 * @param budgetMs the most one request may spend on routing: trying candidates one after the other
 *                 until one starts streaming. The router stops failing over when it is spent and the
 *                 edge waits for the router no longer than it (plus a hop margin). Without it, the
 *                 budget is the sum of the candidates' start budgets, capped at {@link #DEFAULT_BUDGET_MS}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RoutingOptions(Long budgetMs) {

  /** Two minutes: enough for two candidates with the default connect + first-byte timeouts. */
  public static final long DEFAULT_BUDGET_MS = 120_000;
  public static final RoutingOptions DEFAULTS = new RoutingOptions(null);

  public RoutingOptions {
    if (budgetMs != null && budgetMs <= 0) {
      throw new IllegalArgumentException("routing.budget_ms must be > 0");
    }
  }
}
