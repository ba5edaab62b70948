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
import io.tollgate.api.config.OpenAiPreset;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.ops.Operation;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.api.ops.RerankResult;
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
@DisplayName("Rerank calls at the connector: the ranking rides the END chunk sorted and cut, bad answers fail the call")
class RerankConnectorTest {

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

  private UpstreamCall call(String baseUrl, OpenAiPreset preset, Integer topN) {
    DeploymentConfig d = new DeploymentConfig("dep-rr", "cohere", baseUrl, "sk-test", "rr-model", null, null,
        TIMEOUTS, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, preset,
        null);
    RerankRequest request = new RerankRequest("rr", "q", List.of(RerankRequest.Document.of("aaaa"),
        RerankRequest.Document.of("bbbb"), RerankRequest.Document.of("cccc")), topN, null, null);
    return new UpstreamCall("req-" + UUID.randomUUID(), 1, "rr", d, null, edge.streamAddress(), "k", "t", null,
        Operation.RERANK, request);
  }

  private StreamChunk end(UpstreamCall call) {
    await(edge.call("cohere", call));
    return EdgeHarness.last(await(edge.end(call.requestId())));
  }

  @Test
  @DisplayName("vLLM: /v1/rerank; an answer in document order that ignored top_n comes back sorted and cut, with its token count")
  void vllmSortedAndCut() {
    upstream.answer(200, "application/json", """
        {"id":"rerank-1","model":"rr-model","usage":{"total_tokens":21},"results":[
          {"index":0,"document":{"text":"aaaa"},"relevance_score":0.1},
          {"index":1,"document":{"text":"bbbb"},"relevance_score":0.9},
          {"index":2,"document":{"text":"cccc"},"relevance_score":0.5}]}""");
    StreamChunk end = end(call(upstream.baseUrl() + "/v1", OpenAiPreset.VLLM, 2));

    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.result()).isEqualTo(new RerankResult(List.of(new RerankResult.Hit(1, 0.9),
        new RerankResult.Hit(2, 0.5))));
    assertThat(end.usage()).isEqualTo(new Usage(21, 0, 0, 0, false));
    assertThat(upstream.received().get(0).path()).isEqualTo("/v1/rerank");
    assertThat(upstream.received().get(0).body().getInteger("top_n")).isEqualTo(2);
  }

  @Test
  @DisplayName("Cohere v2: meta.tokens.input_tokens is the usage when Cohere sends it")
  void cohereTokens() {
    upstream.answer(200, "application/json", """
        {"id":"x","results":[{"index":2,"relevance_score":0.7}],
         "meta":{"billed_units":{"search_units":1},"tokens":{"input_tokens":12}}}""");
    StreamChunk end = end(call(upstream.baseUrl(), null, 1));
    assertThat(end.result()).isEqualTo(new RerankResult(List.of(new RerankResult.Hit(2, 0.7))));
    assertThat(end.usage()).isEqualTo(new Usage(12, 0, 0, 0, false));
    assertThat(upstream.received().get(0).path()).isEqualTo("/v2/rerank");
  }

  @Test
  @DisplayName("an index out of range, or TEI answering an object, ends the call with upstream_error and no result")
  void malformed() {
    upstream.answer(200, "application/json", "{\"results\":[{\"index\":3,\"relevance_score\":0.7}]}");
    StreamChunk end = end(call(upstream.baseUrl(), null, null));
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("index 3 out of range");
    assertThat(end.result()).isNull();

    upstream.answer(200, "application/json", "{\"error\":\"model overloaded\"}");
    StreamChunk tei = end(call(upstream.baseUrl(), OpenAiPreset.TEI, null));
    assertThat(tei.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(tei.result()).isNull();
  }

  @Test
  @DisplayName("a chat sent to a cohere deployment fails with capability_not_supported, nothing sent upstream")
  void noChat() {
    UpstreamCall rerank = call(upstream.baseUrl(), null, null);
    UpstreamCall chat = new UpstreamCall(rerank.requestId(), 1, "rr", rerank.deployment(), TestCalls.chat(null, null),
        edge.streamAddress(), "k", "t");
    Throwable failure = awaitFailure(edge.call("cohere", chat));
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.CAPABILITY_NOT_SUPPORTED.wire());
    assertThat(upstream.received()).isEmpty();
  }
}
