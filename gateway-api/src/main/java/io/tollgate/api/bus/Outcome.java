package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.routing.RouteDecision;
import java.math.BigDecimal;

/**
 * What one attempt came to, published to {@link io.tollgate.api.Addresses#OUTCOMES} for every
 * attempt: by the connector when the call ended (streamed or failed before the first byte), by
 * the router for an attempt no connector answered (none reachable, no answer in time). Every
 * router node applies it to its statistics.
 *
 * @param decision      the routing decision this attempt was made under
 * @param costUsd       exact cost of the attempt's usage at the deployment's prices (zero if none)
 * @param attempt       the router's attempt number of this call (0 for the first candidate)
 * @param latencyMillis from the call reaching the connector to the end of the stream
 * @param ttftMillis    to the first content chunk, -1 if none
 * @param retryAfterMs  how long the upstream asked to be left alone (its {@code Retry-After} on a 429 or 503),
 *                      0 if it said nothing; routers keep the deployment out of rotation that long
 */
public record Outcome(String requestId, int attempt, String model, String deploymentId, String provider,
                      Status status, Usage usage, long latencyMillis, long ttftMillis, ErrorCode error,
                      String message, String keyId, String tenantId, RouteDecision decision, BigDecimal costUsd,
                      long retryAfterMs) {

  public enum Status { OK, ERROR, CANCELLED }

  public Outcome {
    decision = decision == null ? RouteDecision.UNKNOWN : decision;
    costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    retryAfterMs = Math.max(0, retryAfterMs);
  }

  public Outcome(String requestId, int attempt, String model, String deploymentId, String provider, Status status,
                 Usage usage, long latencyMillis, long ttftMillis, ErrorCode error, String message, String keyId,
                 String tenantId, RouteDecision decision, BigDecimal costUsd) {
    this(requestId, attempt, model, deploymentId, provider, status, usage, latencyMillis, ttftMillis, error, message,
        keyId, tenantId, decision, costUsd, 0);
  }

  public Outcome(String requestId, int attempt, String model, String deploymentId, String provider, Status status,
                 Usage usage, long latencyMillis, long ttftMillis, ErrorCode error, String message, String keyId,
                 String tenantId) {
    this(requestId, attempt, model, deploymentId, provider, status, usage, latencyMillis, ttftMillis, error, message,
        keyId, tenantId, null, null);
  }
}
