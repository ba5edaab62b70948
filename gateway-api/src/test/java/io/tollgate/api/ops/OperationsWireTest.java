package io.tollgate.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Wire;
import io.tollgate.api.config.DeploymentConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Non-chat operations travel on the event bus as typed records")
class OperationsWireTest {

  private static final DeploymentConfig DEP =
      new DeploymentConfig("d", "mock", null, null, null, null, null, null, null, null, null, null);

  private static <T> T roundTrip(Class<T> type, T value) throws Exception {
    return Wire.MAPPER.readValue(Wire.MAPPER.writeValueAsBytes(value), type);
  }

  @Test
  @DisplayName("operations cross the wire as their pinned numeric codes")
  void pinnedCodes() throws Exception {
    assertThat(Operation.CHAT.code()).isZero();
    assertThat(Operation.EMBEDDINGS.code()).isEqualTo(1);
    assertThat(Operation.RERANK.code()).isEqualTo(2);
    assertThat(Operation.COMPLETIONS.code()).isEqualTo(3);
    assertThat(Wire.MAPPER.writeValueAsString(Operation.RERANK)).isEqualTo("2");
    assertThat(Operation.fromCode(3)).isEqualTo(Operation.COMPLETIONS);
    assertThatThrownBy(() -> Operation.fromCode(99)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an embeddings route request keeps its inputs, format, dimensions and extra parameters")
  void embeddingsRouteRequest() throws Exception {
    EmbeddingsRequest emb = new EmbeddingsRequest("e", List.of("a", "bb"), null,
        EmbeddingsRequest.EncodingFormat.BASE64, 256, "u", Map.of("truncate_prompt_tokens", new RawJson("8")));
    RouteRequest r = RouteRequest.of("r1", emb, "addr", "k", "t", 1000);
    assertThat(r.operation()).isEqualTo(Operation.EMBEDDINGS);
    assertThat(r.chat()).isNull();
    assertThat(r.model()).isEqualTo("e");
    String json = Wire.MAPPER.writeValueAsString(r);
    assertThat(json).contains("\"operation\":1").contains("\"op\":\"embeddings\"")
        .contains("\"encodingFormat\":\"base64\"").contains("\"truncate_prompt_tokens\":8")
        .doesNotContain("streaming");
    List<String> fields = new java.util.ArrayList<>();
    Wire.MAPPER.readTree(json).fieldNames().forEachRemaining(fields::add);
    // Helpers such as model() are not fields: only the record's components travel (a null trace not at all).
    assertThat(fields).containsExactlyInAnyOrder("requestId", "streamAddress", "keyId", "tenantId", "budgetMs",
        "operation", "payload", "sentAtNanos");
    assertThat(roundTrip(RouteRequest.class, r)).isEqualTo(r);
  }

  @Test
  @DisplayName("a token-array embeddings call, a rerank call and a completion call survive as upstream calls")
  void upstreamCalls() throws Exception {
    for (OperationRequest p : List.<OperationRequest>of(
        new EmbeddingsRequest("e", null, List.of(List.of(1, 2, 3), List.of(4)), null, null, null, null),
        new RerankRequest("rr", "q", List.of(RerankRequest.Document.of("x"),
            new RerankRequest.Document(null, new RawJson("{\"text\":\"y\",\"id\":7}"))), 1, true, null),
        new CompletionRequest("c", List.of("Say"), null, true, 5, 0.2, null, 1, List.of("\n"), null, false, null,
            null, null))) {
      UpstreamCall call = new UpstreamCall("r", 2, p.model(), DEP, null, "addr", "k", "t", null, p.operation(), p);
      UpstreamCall back = roundTrip(UpstreamCall.class, call);
      assertThat(back).isEqualTo(call);
      assertThat(back.payload()).isInstanceOf(p.getClass());
    }
  }

  @Test
  @DisplayName("an END chunk carries float vectors and rerank hits exactly")
  void resultsOnEnd() throws Exception {
    EmbeddingsResult vectors = new EmbeddingsResult(List.of(new float[] {0.1f, -2.5e-7f, Float.MAX_VALUE},
        new float[] {1f}));
    StreamChunk end = StreamChunk.end("r", 1, 0, List.of(), new Usage(4, 0, 0, 0, false), Outcome.Status.OK,
        null, null, "d", vectors);
    String json = Wire.MAPPER.writeValueAsString(end);
    // Vectors cross the cluster as base64 of little-endian float32, not as JSON numbers.
    assertThat(json).contains("\"vectors\":[\"" + Float32Base64.encode(new float[] {0.1f, -2.5e-7f, Float.MAX_VALUE})
        + "\",\"AACAPw==\"]");
    StreamChunk back = roundTrip(StreamChunk.class, end);
    assertThat(back).isEqualTo(end);
    assertThat(((EmbeddingsResult) back.result()).vectors().get(0)[1]).isEqualTo(-2.5e-7f);
    RerankResult hits = new RerankResult(List.of(new RerankResult.Hit(2, 0.98), new RerankResult.Hit(0, 0.01)));
    StreamChunk rerank = StreamChunk.end("r", 1, 0, null, Usage.ZERO, Outcome.Status.OK, null, null, "d", hits);
    assertThat(roundTrip(StreamChunk.class, rerank)).isEqualTo(rerank);
    StreamChunk old = StreamChunk.end("r", 1, 0, null, Usage.ZERO, Outcome.Status.OK, null, null, "d");
    assertThat(old.result()).isNull();
  }

  @Test
  @DisplayName("a chat request is still built with the old signatures, and mismatched payloads are refused")
  void chatAndMismatch() throws Exception {
    ChatRequest chat = ChatRequest.builder("m", List.of(ChatMessage.of(Role.USER, "hi"))).build();
    RouteRequest r = new RouteRequest("r", chat, "a", "k", "t", 10);
    assertThat(r.operation()).isEqualTo(Operation.CHAT);
    assertThat(roundTrip(RouteRequest.class, r)).isEqualTo(r);
    UpstreamCall c = new UpstreamCall("r", 0, "m", DEP, chat, "a", "k", "t");
    assertThat(c.operation()).isEqualTo(Operation.CHAT);
    assertThat(c.promptEstimate()).isEqualTo(chat.estimatedPromptTokens());
    EmbeddingsRequest emb = new EmbeddingsRequest("e", List.of("x"), null, null, null, null, null);
    assertThatThrownBy(() -> new RouteRequest("r", null, "a", "k", "t", 10, Operation.RERANK, emb))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteRequest("r", chat, "a", "k", "t", 10, Operation.CHAT, emb))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteRequest("r", null, "a", "k", "t", 10, Operation.EMBEDDINGS, null))
        .isInstanceOf(IllegalArgumentException.class);
    // A node that predates operations sends no operation field: it is read as chat.
    String legacy = "{\"requestId\":\"r\",\"chat\":" + Wire.MAPPER.writeValueAsString(chat)
        + ",\"streamAddress\":\"a\",\"budgetMs\":10}";
    assertThat(Wire.MAPPER.readValue(legacy, RouteRequest.class).operation()).isEqualTo(Operation.CHAT);
  }

  @Test
  @DisplayName("input token estimates: text by characters, token arrays exactly")
  void estimates() {
    assertThat(new EmbeddingsRequest("e", List.of("abcdefgh", ""), null, null, null, null, null)
        .estimatedPromptTokens()).isEqualTo(3);
    assertThat(new EmbeddingsRequest("e", null, List.of(List.of(1, 2, 3)), null, null, null, null)
        .estimatedPromptTokens()).isEqualTo(3);
    assertThat(new EmbeddingsRequest("e", List.of("a"), null, null, null, null, null).inputCount()).isEqualTo(1);
  }
}
