package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.api.ops.OperationResult;
import io.tollgate.edge.format.embeddings.EmbeddingsFormat;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Edge exchange of a unary operation: the answer is the END chunk's result, fenced by attempt")
class UnaryExchangeTest {

  private static final String REQ = "req-u";
  private static final ModelConfig MODEL = new ModelConfig("emb", null, null, List.of(
      new DeploymentConfig("d", "mock", null, null, null, 1, 0, null, null, null, null, null)));
  private static final Usage USAGE = new Usage(4, 0, 0, 0, false);

  private final RecordingChannel client = new RecordingChannel();
  private final List<Exchange> done = new ArrayList<>();

  private Exchange exchange() {
    EmbeddingsRequest request = new EmbeddingsRequest("emb", List.of("a"), null, null, null, null, null);
    Exchange.Cancels none = new Exchange.Cancels() {
      @Override
      public void toConnector(String controlAddress, Cancel cancel) {
      }

      @Override
      public void everywhere(Cancel cancel) {
      }
    };
    return new Exchange(REQ, OpenAiChatFormat.INSTANCE, EmbeddingsFormat.answer(REQ, request), false, client, MODEL,
        none, System::nanoTime, 500, done::add);
  }

  private static RouteResult started(int attempt) {
    return RouteResult.started("emb", "d", "mock", "ctl", attempt, List.of(new Attempt("d", "mock", null, null, 1)));
  }

  private static StreamChunk end(int attempt, OperationResult result) {
    return StreamChunk.end(REQ, attempt, 0, List.of(), USAGE, Outcome.Status.OK, null, null, "d", result);
  }

  @Test
  @DisplayName("the END's vectors become the JSON answer, and its usage settles the request")
  void answers() {
    Exchange x = exchange();
    x.routed(started(0));
    x.chunk(end(0, new EmbeddingsResult(List.of(new float[] {0.5f}))));
    JsonObject body = new JsonObject(client.json);
    assertThat(body.getJsonArray("data").getJsonObject(0).getJsonArray("embedding").getDouble(0)).isEqualTo(0.5);
    assertThat(body.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(4);
    assertThat(done).containsExactly(x);
    assertThat(x.endUsage()).isEqualTo(USAGE);
  }

  @Test
  @DisplayName("an OK END without a result reaches the client as upstream_error, and its usage still settles")
  void missingResult() {
    Exchange x = exchange();
    x.routed(started(0));
    x.chunk(end(0, null));
    assertThat(client.json).isNull();
    assertThat(client.failure.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(done).containsExactly(x);
    assertThat(x.endUsage()).isEqualTo(USAGE);
  }

  @Test
  @DisplayName("a superseded attempt's END with vectors is dropped; the current attempt's answer is the one written")
  void fenced() {
    Exchange x = exchange();
    x.routed(started(1));
    assertThat(x.chunk(end(0, new EmbeddingsResult(List.of(new float[] {9f}))))).isEqualTo(Exchange.Verdict.STOP);
    assertThat(client.json).isNull();
    x.chunk(end(1, new EmbeddingsResult(List.of(new float[] {1f}))));
    assertThat(new JsonObject(client.json).getJsonArray("data").getJsonObject(0).getJsonArray("embedding")
        .getDouble(0)).isEqualTo(1.0);
  }
}
