package io.tollgate.api.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Connector -> router: a call failed before its first byte and the upstream said when to come back
 * ({@code Retry-After}). A {@link ReplyException} so that the router's request fails as with any
 * other connector failure; the event bus picks this type's own codec (registered in
 * {@link io.tollgate.api.codec.Codecs}) instead of the plain reply-exception codec, which would
 * drop {@link #retryAfterMs()} on the way to another node.
 */
public final class UpstreamFailure extends ReplyException {

  private final long retryAfterMs;

  public UpstreamFailure(int failureCode, String message, long retryAfterMs) {
    super(ReplyFailure.RECIPIENT_FAILURE, failureCode, message);
    this.retryAfterMs = retryAfterMs;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }
}
