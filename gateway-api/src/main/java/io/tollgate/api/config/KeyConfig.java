package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Concurrency;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.api.keys.WholeNumber;
import java.util.List;
import java.util.Objects;

/**
 * A bootstrap API key from the config file: a name, its secret, and optionally the same scope and
 * limit fields as the admin API's key (flat: {@code rpm}, {@code tpm}, {@code token_quota},
 * {@code budget_usd}, plus {@code concurrency}) and {@code cache} (response-cache settings over its
 * models', see {@link CacheConfig#overriding}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyConfig(String name, String secret, List<String> models,
                        @JsonDeserialize(using = WholeNumber.class) Long rpm,
                        @JsonDeserialize(using = WholeNumber.class) Long tpm,
                        TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency,
                        CacheConfig cache) {

  public KeyConfig {
    Objects.requireNonNull(name, "key name is required");
    Objects.requireNonNull(secret, "key " + name + ": secret is required");
    models = models == null ? List.of() : List.copyOf(models);
  }

  public KeyConfig(String name, String secret, List<String> models, Long rpm, Long tpm, TokenQuota tokenQuota,
                   BudgetUsd budgetUsd, Concurrency concurrency) {
    this(name, secret, models, rpm, tpm, tokenQuota, budgetUsd, concurrency, null);
  }

  public KeyConfig(String name, String secret) {
    this(name, secret, null, null, null, null, null, null, null);
  }

  public Limits limits() {
    return new Limits(rpm, tpm, tokenQuota, budgetUsd, concurrency);
  }

  /** The secret with all but a short prefix masked, for logs. */
  public String masked() {
    return secret.length() <= 8 ? "****" : secret.substring(0, 6) + "..." + secret.substring(secret.length() - 2);
  }
}
