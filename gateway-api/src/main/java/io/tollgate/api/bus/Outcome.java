package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.chat.Usage;

/**
 * What one upstream call came to, published by the connector to {@link io.tollgate.api.Addresses#OUTCOMES}
 * after the stream ended (routers learn from it; billing and audit record it).
 *
 * @param attempt       the router's attempt number of this call (0 for the first candidate)
 * @param latencyMillis from the call reaching the connector to the end of the stream
 * @param ttftMillis    to the first content chunk, -1 if none
 */
public record Outcome(String requestId, int attempt, String model, String deploymentId, String provider,
                      Status status, Usage usage, long latencyMillis, long ttftMillis, ErrorCode error,
                      String message, String keyId, String tenantId) {

  public enum Status { OK, ERROR, CANCELLED }
}
