package io.tollgate.admin.model;

import io.tollgate.admin.AdminErrors;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import java.math.BigDecimal;

/** Field checks shared by request bodies; each failure names the field in {@code param}. */
public final class Checks {

  private Checks() {
  }

  public static String required(String value, String param) {
    if (value == null || value.isBlank()) {
      throw AdminErrors.badRequest("'" + param + "' is required", param);
    }
    return value;
  }

  public static void nonNegative(Number value, String param) {
    boolean negative = value instanceof BigDecimal d ? d.signum() < 0 : value != null && value.doubleValue() < 0;
    if (negative) {
      throw AdminErrors.badRequest("'" + param + "' must be >= 0", param);
    }
  }

  /** Checks every limit of {@code limits}, naming fields as {@code prefix + name}. */
  public static void limits(Limits limits, String prefix) {
    if (limits == null) {
      return;
    }
    nonNegative(limits.rpm(), prefix + "rpm");
    nonNegative(limits.tpm(), prefix + "tpm");
    TokenQuota q = limits.tokenQuota();
    nonNegative(q.daily(), prefix + "token_quota.daily");
    nonNegative(q.monthly(), prefix + "token_quota.monthly");
    nonNegative(q.total(), prefix + "token_quota.total");
    BudgetUsd b = limits.budgetUsd();
    nonNegative(b.daily(), prefix + "budget_usd.daily");
    nonNegative(b.monthly(), prefix + "budget_usd.monthly");
    nonNegative(b.total(), prefix + "budget_usd.total");
  }
}
