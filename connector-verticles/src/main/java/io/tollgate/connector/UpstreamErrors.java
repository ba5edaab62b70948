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

  /** No connection could be had (refused, DNS, connect timeout); the target goes to the log only. */
  public static GatewayException forConnectFailure(Throwable cause) {
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
