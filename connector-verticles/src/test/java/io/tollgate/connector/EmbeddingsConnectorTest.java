package io.tollgate.connector;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.api.ops.Operation;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Embeddings calls at the connector: the answer rides the END chunk, bad answers fail the call")
class EmbeddingsConnectorTest {

  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);

  private RecordingUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = RecordingUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(String provider, String baseUrl, EmbeddingsRequest request) {
    DeploymentConfig d = new DeploymentConfig("dep-" + provider, provider, baseUrl, "sk-test", "embed-model", null,
        null, TIMEOUTS, null, null, null, null);
    return new UpstreamCall("req-" + UUID.randomUUID(), 1, "emb", d, null, edge.streamAddress(), "k", "t", null,
        Operation.EMBEDDINGS, request);
  }

  private static EmbeddingsRequest texts(String... texts) {
    return new EmbeddingsRequest("emb", List.of(texts), null, null, null, null, null);
  }

  @Test
  @DisplayName("OpenAI-compatible: items listed out of order come back in input order, base64 decoded, with the upstream's usage")
  void openAiOrdersByIndex() {
    // [1.0, -2.0] and [0.5] as little-endian float32
    upstream.answer(200, "application/json", """
        {"object":"list","data":[
          {"object":"embedding","index":1,"embedding":"AAAAPw=="},
          {"object":"embedding","index":0,"embedding":"AACAPwAAAMA="}],
         "model":"embed-model","usage":{"prompt_tokens":9,"total_tokens":9}}""");
    UpstreamCall call = call("openai", upstream.baseUrl() + "/v1", new EmbeddingsRequest("emb", List.of("a", "b"),
        null, EmbeddingsRequest.EncodingFormat.BASE64, null, null, null));

    await(edge.call("openai", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.result()).isEqualTo(new EmbeddingsResult(List.of(new float[] {1f, -2f}, new float[] {0.5f})));
    assertThat(end.usage()).isEqualTo(new Usage(9, 0, 0, 0, false));
    assertThat(end.events()).isEmpty();
    assertThat(upstream.received().get(0).path()).isEqualTo("/v1/embeddings");
    assertThat(await(edge.outcome(call.requestId())).usage()).isEqualTo(end.usage());
  }

  @Test
  @DisplayName("an answer with fewer vectors than inputs ends the call with upstream_error and no result")
  void missingVectors() {
    upstream.answer(200, "application/json", """
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1]}],
         "usage":{"prompt_tokens":2,"total_tokens":2}}""");
    UpstreamCall call = call("openai", upstream.baseUrl() + "/v1", texts("a", "b"));

    await(edge.call("openai", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("1 embeddings for 2 inputs");
    assertThat(end.result()).isNull();
  }

  @Test
  @DisplayName("Gemini: an answer without usage is estimated and marked so")
  void geminiEstimated() {
    upstream.answer(200, "application/json", "{\"embeddings\":[{\"values\":[0.25,0.5]}]}");
    UpstreamCall call = call("gemini", upstream.baseUrl(), texts("abcdefgh"));

    await(edge.call("gemini", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.result()).isEqualTo(new EmbeddingsResult(List.of(new float[] {0.25f, 0.5f})));
    assertThat(end.usage()).isEqualTo(new Usage(2, 0, 0, 0, true));
    assertThat(upstream.received().get(0).path()).isEqualTo("/v1beta/models/embed-model:batchEmbedContents");
  }

  @Test
  @DisplayName("Gemini refuses token-array inputs with a 400 naming input, before anything is sent")
  void geminiTokens() {
    UpstreamCall call = call("gemini", upstream.baseUrl(),
        new EmbeddingsRequest("emb", null, List.of(List.of(1, 2)), null, null, null, null));
    Throwable failure = awaitFailure(edge.call("gemini", call));
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.INVALID_REQUEST.wire());
    assertThat(failure.getMessage()).contains("Token-array inputs");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  @DisplayName("a provider without embeddings (anthropic) fails the call with capability_not_supported")
  void unsupported() {
    UpstreamCall call = call("anthropic", upstream.baseUrl(), texts("a"));
    Throwable failure = awaitFailure(edge.call("anthropic", call));
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.CAPABILITY_NOT_SUPPORTED.wire());
    assertThat(failure.getMessage()).contains("dep-anthropic").contains("embeddings");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  @DisplayName("the mock answers the same unit vector for the same input, of the asked dimensions")
  void mock() {
    DeploymentConfig d = TestCalls.mock(null);
    EmbeddingsRequest request = new EmbeddingsRequest("emb", List.of("x", "x", "y"), null, null, 5, null, null);
    UpstreamCall call = new UpstreamCall("req-" + UUID.randomUUID(), 0, "emb", d, null, edge.streamAddress(), "k",
        "t", null, Operation.EMBEDDINGS, request);
    await(edge.call("mock", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));
    List<float[]> v = ((EmbeddingsResult) end.result()).vectors();
    assertThat(v.get(0)).hasSize(5).containsExactly(v.get(1));
    assertThat(v.get(0)).isNotEqualTo(v.get(2));
    assertThat(end.usage()).isEqualTo(new Usage(3, 0, 0, 0, false));
  }
}
