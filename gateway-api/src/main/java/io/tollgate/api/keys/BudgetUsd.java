package io.tollgate.api.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/** Cost budgets in USD (exact decimals); null means unlimited. Periods as in {@link TokenQuota}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BudgetUsd(BigDecimal daily, BigDecimal monthly, BigDecimal total) {

  public static final BudgetUsd NONE = new BudgetUsd(null, null, null);
}
