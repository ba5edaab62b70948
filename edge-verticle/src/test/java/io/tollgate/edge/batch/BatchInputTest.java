package io.tollgate.edge.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.GatewayException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batch input files and which answers a worker keeps")
class BatchInputTest {

  private static final String OK = "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
      + "\"body\":{\"model\":\"m\"}}";

  @Test
  @DisplayName("each malformed line is refused with its line number; blank lines are skipped")
  void lineErrors() {
    assertThat(BatchInput.parse(Buffer.buffer(OK + "\n\n" + OK.replace("\"a\"", "\"b\"") + "\n"), null, 10))
        .extracting(BatchInput.Line::lineNo).containsExactly(1, 3);
    assertRefused(OK + "\nnot json", "line 2 is not a JSON object");
    assertRefused(OK + "\n" + OK, "line 2: custom_id 'a' appears twice");
    assertRefused(OK.replace("POST", "GET"), "line 1: method must be \"POST\"");
    assertRefused(OK.replace("/v1/chat/completions", "/v1/moderations"),
        "line 1: url must be /v1/chat/completions or /v1/embeddings");
    // A batch's endpoint binds every line to it.
    assertThatThrownBy(() -> BatchInput.parse(Buffer.buffer(OK), "/v1/embeddings", 10))
        .hasMessageContaining("line 1: url must be /v1/embeddings");
    assertRefused(OK.replace("{\"model\":\"m\"}", "[]"), "line 1: body must be a JSON object");
    assertRefused(OK.replace("\"custom_id\":\"a\",", ""), "line 1: custom_id must be a non-empty string");
    assertRefused("\n\n", "the file has no requests");
    assertThatThrownBy(() -> BatchInput.parse(Buffer.buffer(OK + "\n" + OK.replace("\"a\"", "\"b\"")), null, 1))
        .hasMessageContaining("more than 1 requests");
  }

  @Test
  @DisplayName("a line refused by a rate limit or an unavailable gateway runs again later; other failures are answers")
  void laterOrAnswer() {
    assertThat(BatchWorker.later(new BatchWorker.Answer(429,
        "{\"error\":{\"code\":\"rate_limit_exceeded\"}}"))).isTrue();
    assertThat(BatchWorker.later(new BatchWorker.Answer(503,
        "{\"error\":{\"code\":\"no_deployment_available\"}}"))).isTrue();
    assertThat(BatchWorker.later(new BatchWorker.Answer(429,
        "{\"error\":{\"code\":\"insufficient_quota\"}}"))).isFalse();
    assertThat(BatchWorker.later(new BatchWorker.Answer(404, "{\"error\":{\"code\":\"model_not_found\"}}")))
        .isFalse();
    assertThat(BatchWorker.later(new BatchWorker.Answer(429, "not json"))).isFalse();
    assertThat(BatchWorker.later(new BatchWorker.Answer(200, "{}"))).isFalse();
  }

  private static void assertRefused(String file, String message) {
    assertThatThrownBy(() -> BatchInput.parse(Buffer.buffer(file), null, 10))
        .isInstanceOf(GatewayException.class).hasMessageContaining(message);
  }
}
