package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** How upstream HTTP failures map to the gateway's error codes, the same for every provider. */
public final class UpstreamErrors {

  /** Upstream messages are cut to this length: enough to diagnose, small enough for an envelope. */
  public static final int MAX_MESSAGE_CHARS = 300;

  private UpstreamErrors() {
  }

  /** A non-2xx status line: 401/403 auth, 429 rate limit, 408/409/5xx error, other 4xx bad request. */
  public static GatewayException forStatus(int status, String upstreamMessage) {
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
    String detail = upstreamMessage == null || upstreamMessage.isBlank() ? "" : ": " + shorten(upstreamMessage);
    return new GatewayException(code, "upstream returned HTTP " + status + detail);
  }

  /** No connection could be had (refused, DNS, connect timeout). */
  public static GatewayException forConnectFailure(String target, Throwable cause) {
    String reason = cause instanceof UnknownHostException ? "unknown host"
        : cause instanceof ConnectException ? "connection refused or timed out"
        : cause instanceof TimeoutException ? "no connection within connect_ms (timed out or pool exhausted)"
        : cause.getClass().getSimpleName();
    String detail = cause.getMessage() == null ? "" : " (" + shorten(cause.getMessage()) + ")";
    return new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "cannot connect to upstream " + target + ": "
        + reason + detail);
  }

  /** Removes the credential from an upstream message (some upstreams echo the key they rejected). */
  public static String scrub(String message, String secret) {
    if (message == null || secret == null || secret.length() < 4) {
      return message;
    }
    return message.replace(secret, "***");
  }

  public static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
