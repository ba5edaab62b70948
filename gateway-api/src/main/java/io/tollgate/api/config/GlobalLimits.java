package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.keys.WholeNumber;

/**
 * Limits of the whole gateway, on top of every key's and tenant's.
 *
 * @param rpm        requests per minute over all keys (null: unlimited); 64-bit, like every count
 * @param tpm        tokens per minute over all keys (null: unlimited)
 * @param failClosed with Redis down, refuse (503) instead of per-node approximate limits
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GlobalLimits(@JsonDeserialize(using = WholeNumber.class) Long rpm,
                           @JsonDeserialize(using = WholeNumber.class) Long tpm,
                           Boolean failClosed) {

  public static final GlobalLimits NONE = new GlobalLimits(null, null, null);
}
