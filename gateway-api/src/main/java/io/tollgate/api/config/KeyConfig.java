package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/** A bootstrap API key from the config file: a name and its secret. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyConfig(String name, String secret) {

  public KeyConfig {
    Objects.requireNonNull(name, "key name is required");
    Objects.requireNonNull(secret, "key " + name + ": secret is required");
  }

  /** The secret with all but a short prefix masked, for logs. */
  public String masked() {
    return secret.length() <= 8 ? "****" : secret.substring(0, 6) + "..." + secret.substring(secret.length() - 2);
  }
}
