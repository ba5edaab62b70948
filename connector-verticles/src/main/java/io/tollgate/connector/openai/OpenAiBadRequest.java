package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible upstream's 4xx names the request field at fault in {@code error.param}: that
 * name is passed on (the envelope's {@code param}, and in the message), so a client learns which of
 * its parameters the upstream refused. Only a plain field name is taken; the upstream's message
 * stays in the connector's log, as for every upstream error.
 */
final class OpenAiBadRequest {

  /** A field name, possibly with indexes or dots ({@code prompt}, {@code messages[0].content}). */
  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\[\\]-]{0,63}");

  private OpenAiBadRequest() {
  }

  static GatewayException withParam(GatewayException failure, int status, Buffer body) {
    if (failure.code() != ErrorCode.UPSTREAM_BAD_REQUEST || failure.param() != null || body == null) {
      return failure;
    }
    String param;
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      param = error == null || !(error.getValue("param") instanceof String p) ? null : p;
    } catch (RuntimeException notJson) {
      return failure;
    }
    if (param == null || !FIELD.matcher(param).matches()) {
      return failure;
    }
    return new GatewayException(failure.code(), "upstream answered HTTP " + status + ": it refused the parameter '"
        + param + "'", param, failure.retryAfterMs());
  }
}
