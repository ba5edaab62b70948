package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.edge.format.openai.OpenAiFormat;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The error envelope names deployments and codes, never what an upstream said")
class ErrorEnvelopeTest {

  @Test
  @DisplayName("each attempt of the failover trace is rendered as deployment, code and time only")
  void attemptsWithoutUpstreamText() {
    List<Attempt> attempts = List.of(
        new Attempt("dep-a", "openai", ErrorCode.UPSTREAM_ERROR,
            "upstream returned HTTP 500: backend http://10.1.2.3:8000 rejected sk-proj-abcd...1234", 41),
        new Attempt("dep-b", "openai", ErrorCode.UPSTREAM_UNREACHABLE, "cannot connect to upstream 10.9.9.9:443", 7));

    JsonObject error = OpenAiFormat.error(new GatewayException(ErrorCode.UPSTREAM_ERROR,
        "all 2 deployments of model m failed"), attempts).getJsonObject("error");

    assertThat(error.getJsonArray("attempts").getList()).hasSize(2);
    JsonObject first = error.getJsonArray("attempts").getJsonObject(0);
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("deployment", "code", "ms");
    assertThat(first.getString("deployment")).isEqualTo("dep-a");
    assertThat(first.getString("code")).isEqualTo("upstream_error");
    assertThat(first.getLong("ms")).isEqualTo(41);
    assertThat(error.encode()).doesNotContain("10.1.2.3", "8000", "sk-proj", "10.9.9.9");
  }

  @Test
  @DisplayName("a credential that reached the message anyway is removed from it")
  void messageRedacted() {
    JsonObject error = OpenAiFormat.error(new GatewayException(ErrorCode.UPSTREAM_AUTH,
        "upstream rejected Bearer sk-live-0123456789abcdef"), null).getJsonObject("error");

    assertThat(error.getString("message")).doesNotContain("0123456789abcdef").contains("[redacted]");
    assertThat(error.containsKey("attempts")).isFalse();
  }
}
