package io.tollgate.api;

import io.tollgate.api.bus.UpstreamFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with an {@link ErrorCode}. Stackless: these are expected on the hot path (bad keys,
 * limits, upstream errors) and a stack trace would cost more than the request.
 */
public final class GatewayException extends RuntimeException {

  private final ErrorCode code;
  private final String param;
  private final long retryAfterMs;

  public GatewayException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public GatewayException(ErrorCode code, String message, String param) {
    this(code, message, param, 0);
  }

  /** An upstream failure that came with a {@code Retry-After} of {@code retryAfterMs} (0: none). */
  public GatewayException(ErrorCode code, String message, String param, long retryAfterMs) {
    super(message, null, false, false);
    this.code = code;
    this.param = param;
    this.retryAfterMs = Math.max(0, retryAfterMs);
  }

  /** How long the upstream asked to be left alone, 0 if it did not say. */
  public long retryAfterMs() {
    return retryAfterMs;
  }

  public ErrorCode code() {
    return code;
  }

  /** The request field at fault, for the envelope's {@code param}; may be null. */
  public String param() {
    return param;
  }

  /** Turns any failure, including one that crossed the event bus, into a GatewayException. */
  public static GatewayException from(Throwable t) {
    if (t instanceof GatewayException g) {
      return g;
    }
    if (t instanceof UpstreamFailure u) {
      ErrorCode code = ErrorCode.fromWire(u.failureCode());
      return new GatewayException(code == null ? ErrorCode.UPSTREAM_ERROR : code, u.getMessage(), u.param(),
          u.retryAfterMs());
    }
    if (t instanceof ReplyException r) {
      if (r.failureType() == ReplyFailure.TIMEOUT) {
        return new GatewayException(ErrorCode.GATEWAY_TIMEOUT, "timed out waiting for " + r.getMessage());
      }
      if (r.failureType() == ReplyFailure.NO_HANDLERS) {
        return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "no node serves " + r.getMessage());
      }
      ErrorCode code = ErrorCode.fromWire(r.failureCode());
      if (code != null) {
        return new GatewayException(code, r.getMessage());
      }
    }
    return new GatewayException(ErrorCode.INTERNAL, "internal error");
  }

  /** This failure as an event-bus reply failure, keeping the code (and any retry-after and param) across the hop. */
  public ReplyException toReply() {
    if (retryAfterMs > 0 || param != null) {
      return new UpstreamFailure(code.wire(), getMessage(), retryAfterMs, param);
    }
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.wire(), getMessage());
  }
}
