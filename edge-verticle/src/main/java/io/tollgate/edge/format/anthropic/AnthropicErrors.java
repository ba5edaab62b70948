package io.tollgate.edge.format.anthropic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.Redact;
import io.tollgate.api.bus.Attempt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The gateway's errors in Anthropic's envelope {@code {"type":"error","error":{"type","message"}}}
 * with Anthropic's statuses (the table is in the README): 529 {@code overloaded_error} where the
 * upstream said it is overloaded, 429 {@code rate_limit_error} for every limit (Anthropic also
 * answers a spend limit with it), 5xx {@code api_error} for the gateway's and upstreams' failures.
 */
final class AnthropicErrors {

  /** Anthropic's status for an overloaded API. */
  static final int OVERLOADED_STATUS = 529;

  private AnthropicErrors() {
  }

  static String type(ErrorCode code) {
    return switch (code) {
      case MISSING_API_KEY, INVALID_API_KEY -> "authentication_error";
      case KEY_DISABLED, KEY_EXPIRED, IP_NOT_ALLOWED, MODEL_NOT_ALLOWED -> "permission_error";
      case NOT_FOUND, MODEL_NOT_FOUND -> "not_found_error";
      case BODY_TOO_LARGE -> "request_too_large";
      case RATE_LIMITED, INSUFFICIENT_QUOTA, UPSTREAM_RATE_LIMITED -> "rate_limit_error";
      case UPSTREAM_OVERLOADED -> "overloaded_error";
      default -> code.status() >= 500 || code == ErrorCode.CANCELLED ? "api_error" : "invalid_request_error";
    };
  }

  static int status(ErrorCode code) {
    return code == ErrorCode.UPSTREAM_OVERLOADED ? OVERLOADED_STATUS : code.status();
  }

  /** The envelope, with the failover trace (deployments, codes, times: never upstream words) when there was one. */
  static JsonObject envelope(GatewayException e, List<Attempt> attempts) {
    JsonObject error = new JsonObject().put("type", type(e.code())).put("message", Redact.secrets(e.getMessage()));
    if (attempts != null && !attempts.isEmpty()) {
      JsonArray trace = new JsonArray();
      for (Attempt a : attempts) {
        trace.add(new JsonObject().put("deployment", a.deploymentId())
            .put("code", a.error() == null ? null : a.error().code()).put("ms", a.millis()));
      }
      error.put("attempts", trace);
    }
    return new JsonObject().put("type", "error").put("error", error);
  }

  /** A failure after the stream began: Anthropic's {@code error} event, and the stream ends. */
  static Buffer streamError(GatewayException e) {
    Buffer out = Buffer.buffer(256);
    AnthropicWire.event(out, "error", envelope(e, null));
    return out;
  }
}
