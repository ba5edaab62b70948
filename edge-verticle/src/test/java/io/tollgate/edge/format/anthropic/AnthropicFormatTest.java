package io.tollgate.edge.format.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Anthropic errors: Anthropic's envelope, types and statuses")
class AnthropicFormatTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      "INVALID_JSON, 400, invalid_request_error",
      "INVALID_REQUEST, 400, invalid_request_error",
      "UPSTREAM_BAD_REQUEST, 400, invalid_request_error",
      "MISSING_API_KEY, 401, authentication_error",
      "INVALID_API_KEY, 401, authentication_error",
      "KEY_DISABLED, 403, permission_error",
      "MODEL_NOT_ALLOWED, 403, permission_error",
      "NOT_FOUND, 404, not_found_error",
      "MODEL_NOT_FOUND, 404, not_found_error",
      "BODY_TOO_LARGE, 413, request_too_large",
      "RATE_LIMITED, 429, rate_limit_error",
      "INSUFFICIENT_QUOTA, 429, rate_limit_error",
      "UPSTREAM_RATE_LIMITED, 429, rate_limit_error",
      "INTERNAL, 500, api_error",
      "UPSTREAM_ERROR, 502, api_error",
      "UPSTREAM_AUTH, 502, api_error",
      "UPSTREAM_UNREACHABLE, 502, api_error",
      "NO_DEPLOYMENT_AVAILABLE, 503, api_error",
      "UPSTREAM_TIMEOUT, 504, api_error",
      "GATEWAY_TIMEOUT, 504, api_error",
      "UPSTREAM_OVERLOADED, 529, overloaded_error"})
  @DisplayName("every error code has Anthropic's type and status")
  void table(ErrorCode code, int status, String type) {
    GatewayException e = new GatewayException(code, "why");
    assertThat(AnthropicFormat.INSTANCE.status(e)).isEqualTo(status);
    assertThat(AnthropicFormat.INSTANCE.errorBody(e, null).toJsonObject()).isEqualTo(new JsonObject()
        .put("type", "error").put("error", new JsonObject().put("type", type).put("message", "why")));
  }

  @Test
  @DisplayName("a failure mid-stream is one error event in Anthropic's shape")
  void streamError() {
    String sse = AnthropicFormat.INSTANCE.streamError(new GatewayException(ErrorCode.UPSTREAM_OVERLOADED, "Overloaded"))
        .toString();
    assertThat(sse).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}\n\n");
  }
}
