package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Limits of the whole gateway, on top of every key's and tenant's.
 *
 * @param rpm        requests per minute over all keys (null: unlimited)
 * @param tpm        tokens per minute over all keys (null: unlimited)
 * @param failClosed with Redis down, refuse (503) instead of per-node approximate limits
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GlobalLimits(Integer rpm, Integer tpm, Boolean failClosed) {

  public static final GlobalLimits NONE = new GlobalLimits(null, null, null);
}
