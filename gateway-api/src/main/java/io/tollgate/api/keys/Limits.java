package io.tollgate.api.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Traffic limits of a key or a tenant; any null field means unlimited.
 *
 * @param rpm requests per minute (sliding)
 * @param tpm tokens per minute (sliding, reserve-then-settle)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Limits(Integer rpm, Integer tpm, TokenQuota tokenQuota, BudgetUsd budgetUsd) {

  public static final Limits NONE = new Limits(null, null, null, null);

  public Limits {
    tokenQuota = tokenQuota == null ? TokenQuota.NONE : tokenQuota;
    budgetUsd = budgetUsd == null ? BudgetUsd.NONE : budgetUsd;
  }
}
