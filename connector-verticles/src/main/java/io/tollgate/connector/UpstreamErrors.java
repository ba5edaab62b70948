package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.Redact;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * How upstream HTTP failures map to the gateway's error codes, the same for every provider.
 *
 * <p>The messages built here travel to the router and the edge, which may show them to API
 * clients: they name the status or the kind of failure only. What the upstream said, and the host
 * and port it lives at, is logged by the connector ({@link #detail}) and never put in a message.
 */
public final class UpstreamErrors {

  /** Upstream text in a log line is cut to this length: enough to diagnose, one line in the log. */
  public static final int MAX_MESSAGE_CHARS = 300;

  private UpstreamErrors() {
  }

  /** A non-2xx status line: 401/403 auth, 429 rate limit, 408/409/5xx error, other 4xx bad request. */
  public static GatewayException forStatus(int status) {
    ErrorCode code;
    if (status == 401 || status == 403) {
      code = ErrorCode.UPSTREAM_AUTH;
    } else if (status == 429) {
      code = ErrorCode.UPSTREAM_RATE_LIMITED;
    } else if (status == 408 || status == 409 || status >= 500) {
      code = ErrorCode.UPSTREAM_ERROR;
    } else if (status >= 400) {
      code = ErrorCode.UPSTREAM_BAD_REQUEST;
    } else {
      code = ErrorCode.UPSTREAM_ERROR;
    }
    return new GatewayException(code, "upstream answered HTTP " + status);
  }

  /** Longest {@code Retry-After} taken at its word: beyond it a deployment is better judged by its breaker. */
  public static final long MAX_RETRY_AFTER_MS = 3_600_000;

  /**
   * A non-2xx status with the upstream's {@code Retry-After} (seconds, or an HTTP date) or
   * {@code retry-after-ms} (OpenAI, Azure) header carried on the failure, so that the router waits
   * that long before trying the deployment again.
   */
  public static GatewayException forStatus(int status, String retryAfter, String retryAfterMs) {
    GatewayException plain = forStatus(status);
    long ms = retryAfterMs(retryAfter, retryAfterMs, System.currentTimeMillis());
    return ms <= 0 ? plain : new GatewayException(plain.code(), plain.getMessage(), null, ms);
  }

  /** Milliseconds the headers ask for, 0 if none or unreadable; capped at {@link #MAX_RETRY_AFTER_MS}. */
  static long retryAfterMs(String retryAfter, String retryAfterMs, long nowEpochMs) {
    long ms = 0;
    try {
      if (retryAfterMs != null && !retryAfterMs.isBlank()) {
        ms = (long) Math.ceil(Double.parseDouble(retryAfterMs.trim()));
      } else if (retryAfter != null && !retryAfter.isBlank()) {
        String v = retryAfter.trim();
        if (Character.isDigit(v.charAt(0))) {
          ms = (long) Math.ceil(Double.parseDouble(v) * 1000);
        } else {
          ms = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant().toEpochMilli() - nowEpochMs;
        }
      }
    } catch (RuntimeException e) {
      return 0; // an unreadable header is as good as none
    }
    return Math.max(0, Math.min(ms, MAX_RETRY_AFTER_MS));
  }

  /** No connection could be had (refused, DNS, connect timeout); the target goes to the log only. */
  public static GatewayException forConnectFailure(Throwable cause) {
    if (cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
      return new GatewayException(ErrorCode.UPSTREAM_POOL_EXHAUSTED, "the gateway's connection pool to the upstream "
          + "is full and so is its queue (http_pool_size, http_pool_queue): try again shortly");
    }
    String reason = cause instanceof UnknownHostException ? "unknown host"
        : cause instanceof ConnectException ? "connection refused or timed out"
        : cause instanceof TimeoutException ? "no connection within connect_ms (timed out or pool exhausted)"
        : kind(cause);
    return new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot connect to upstream: " + reason);
  }

  /** A failure's kind without its message, which may quote addresses or upstream bytes. */
  public static String kind(Throwable e) {
    return e.getClass().getSimpleName();
  }

  /** A failure for the log: its kind and message, secrets removed, on one short line. */
  public static String detail(Throwable e, String credential) {
    String message = e.getMessage();
    return kind(e) + (message == null ? "" : " " + detail(message, credential));
  }

  /** Upstream text for the log: secrets (and the credential sent) removed, on one short line. */
  public static String detail(String upstreamText, String credential) {
    return upstreamText == null ? "" : shorten(Redact.secrets(upstreamText, credential));
  }

  public static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
