package io.tollgate.api.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Traffic limits of a key or a tenant; any null field means unlimited. Counts are 64-bit
 * ({@link WholeNumber} when read from JSON or YAML).
 *
 * @param rpm requests per minute (sliding)
 * @param tpm tokens per minute (sliding, reserve-then-settle)
 * @param concurrency requests at once and how many may wait (enforced per edge node)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Limits(@JsonDeserialize(using = WholeNumber.class) Long rpm,
                     @JsonDeserialize(using = WholeNumber.class) Long tpm,
                     TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency) {

  public static final Limits NONE = new Limits(null, null, null, null, null);

  public Limits {
    tokenQuota = tokenQuota == null ? TokenQuota.NONE : tokenQuota;
    budgetUsd = budgetUsd == null ? BudgetUsd.NONE : budgetUsd;
    if ((rpm != null && rpm < 0) || (tpm != null && tpm < 0)) {
      throw new IllegalArgumentException("rpm and tpm must be >= 0");
    }
  }

  public Limits(Long rpm, Long tpm, TokenQuota tokenQuota, BudgetUsd budgetUsd) {
    this(rpm, tpm, tokenQuota, budgetUsd, null);
  }
}
