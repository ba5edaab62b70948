package io.tollgate.traffic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import java.util.Objects;

/**
 * The answer of {@link Admission#admit}: admitted with a reservation to settle later, or refused.
 * A refusal is a normal outcome (the future succeeds); {@link Refusal#error()} is the exception the
 * edge fails the request with, {@link Refusal#retryAfterSeconds()} its {@code Retry-After}.
 */
public record Decision(Reservation reservation, Refusal refusal, RateLimitHeaders headers) {

  public Decision {
    if ((reservation == null) == (refusal == null)) {
      throw new IllegalArgumentException("a decision is either a reservation or a refusal");
    }
    headers = headers == null ? RateLimitHeaders.NONE : headers;
  }

  public static Decision admit(Reservation reservation, RateLimitHeaders headers) {
    return new Decision(Objects.requireNonNull(reservation), null, headers);
  }

  public static Decision refuse(Refusal refusal, RateLimitHeaders headers) {
    return new Decision(null, Objects.requireNonNull(refusal), headers);
  }

  public boolean admitted() {
    return reservation != null;
  }

  /**
   * Why a request was refused.
   *
   * @param kind         the limit that refused it; null when the limiter itself was unavailable
   *                     (fail-closed while Redis is down) or the request id was already settled
   * @param scope        whose limit; null with a null kind
   * @param code         {@code RATE_LIMITED} (rpm/tpm), {@code INSUFFICIENT_QUOTA} (quota or budget
   *                     exhausted), {@code SERVICE_UNAVAILABLE}, or {@code CONFLICT}: an admit that
   *                     reached Redis after its own settle or release (its caller had given up on
   *                     it) or a second admit of one request id; nothing was reserved
   * @param message      names the limit, e.g. "key monthly budget of $10.00 exhausted"
   * @param retryAfterMs when the request could pass again; -1 when waiting will not help (a total
   *                     quota, a request larger than the whole window)
   */
  public record Refusal(LimitKind kind, LimitScope scope, ErrorCode code, String message, long retryAfterMs) {

    public GatewayException error() {
      return new GatewayException(code, message);
    }

    /** The {@code Retry-After} header value (seconds, rounded up), or null to leave it out. */
    public Long retryAfterSeconds() {
      return retryAfterMs < 0 ? null : Math.max(1, (retryAfterMs + 999) / 1000);
    }
  }
}
