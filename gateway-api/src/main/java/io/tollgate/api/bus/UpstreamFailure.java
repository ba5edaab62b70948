package io.tollgate.api.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Connector -> router: a call failed before its first byte and the upstream said when to come back
 * ({@code Retry-After}) or which request field it refused ({@code param}). A {@link ReplyException} so that the router's request fails as with any
 * other connector failure; the event bus picks this type's own codec (registered in
 * {@link io.tollgate.api.codec.Codecs}) instead of the plain reply-exception codec, which would
 * drop {@link #retryAfterMs()} and {@link #param()} on the way to another node.
 */
public final class UpstreamFailure extends ReplyException {

  private final long retryAfterMs;
  private final String param;

  public UpstreamFailure(int failureCode, String message, long retryAfterMs) {
    this(failureCode, message, retryAfterMs, null);
  }

  /** @param param the request field the upstream refused (its 400's {@code error.param}), null if none */
  public UpstreamFailure(int failureCode, String message, long retryAfterMs, String param) {
    super(ReplyFailure.RECIPIENT_FAILURE, failureCode, message);
    this.retryAfterMs = retryAfterMs;
    this.param = param;
  }

  /** The request field the upstream refused, null if it named none. */
  public String param() {
    return param;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }
}
