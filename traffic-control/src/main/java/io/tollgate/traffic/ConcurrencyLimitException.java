package io.tollgate.traffic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;

/**
 * A {@link ConcurrencyLimiter} could not give a permit. Stackless: expected under load. The caller
 * picks the status from whose limit it was: 429 {@code RATE_LIMITED} for a tenant's own limit,
 * 503 {@code SERVICE_UNAVAILABLE} for the gateway's or a deployment's capacity.
 */
public final class ConcurrencyLimitException extends RuntimeException {

  /** The queue was full (failed at once), or the wait for a slot timed out. */
  public enum Reason { QUEUE_FULL, TIMEOUT }

  private final String scope;
  private final Reason reason;

  ConcurrencyLimitException(String scope, Reason reason, String message) {
    super(message, null, false, false);
    this.scope = scope;
    this.reason = reason;
  }

  public String scope() {
    return scope;
  }

  public Reason reason() {
    return reason;
  }

  public GatewayException toGatewayException(ErrorCode code) {
    return new GatewayException(code, getMessage());
  }
}
