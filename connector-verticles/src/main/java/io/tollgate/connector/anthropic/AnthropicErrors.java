package io.tollgate.connector.anthropic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.connector.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Anthropic's errors ({@code {"type":"error","error":{"type","message"}}}) to the gateway's codes.
 * The status decides, as for every provider ({@link UpstreamErrors#forStatus}), except that
 * Anthropic's 529, and an {@code overloaded_error} under any status, is
 * {@link ErrorCode#UPSTREAM_OVERLOADED}: a failover reason, and a 529 to Anthropic-format clients.
 * The error's type is one of Anthropic's fixed words and may appear in messages; its text is
 * logged only.
 */
final class AnthropicErrors {

  /** Anthropic's "overloaded" status. */
  static final int OVERLOADED_STATUS = 529;
  private static final Pattern ERROR_TYPE = Pattern.compile("[a-z_]{1,40}");

  private AnthropicErrors() {
  }

  static GatewayException forStatus(int status, Buffer body) {
    String type = type(body);
    if (status == OVERLOADED_STATUS || "overloaded_error".equals(type)) {
      return new GatewayException(ErrorCode.UPSTREAM_OVERLOADED, "upstream answered HTTP " + status
          + " (overloaded_error)");
    }
    return UpstreamErrors.forStatus(status);
  }

  /** An {@code error} event after the stream began: overloaded and rate limits keep their meaning. */
  static GatewayException inStream(JsonObject error) {
    String type = error == null ? null : safe(error.getString("type"));
    ErrorCode code = "overloaded_error".equals(type) ? ErrorCode.UPSTREAM_OVERLOADED
        : "rate_limit_error".equals(type) ? ErrorCode.UPSTREAM_RATE_LIMITED
        : ErrorCode.UPSTREAM_ERROR;
    return new GatewayException(code, "upstream reported an error mid-stream" + (type == null ? "" : " (" + type + ")"));
  }

  /** The message of an error body, for the log: Anthropic's envelope, or the raw text. */
  static String message(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    String text = body.toString();
    try {
      JsonObject error = new JsonObject(text).getJsonObject("error");
      if (error != null && error.getValue("message") != null) {
        return error.getString("type") + ": " + error.getValue("message");
      }
    } catch (RuntimeException notEnvelope) {
      // A proxy's HTML page or plain text: the text itself is the best we have.
    }
    return UpstreamErrors.shorten(text);
  }

  private static String type(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      return error == null ? null : safe(error.getString("type"));
    } catch (RuntimeException notEnvelope) {
      return null;
    }
  }

  private static String safe(String type) {
    return type != null && ERROR_TYPE.matcher(type).matches() ? type : null;
  }
}
