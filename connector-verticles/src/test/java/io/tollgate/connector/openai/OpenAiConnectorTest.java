package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAI connector streaming from a loopback OpenAI-compatible upstream")
class OpenAiConnectorTest {

  static final Timeouts FAST = new Timeouts(1_000, 2_000, 2_000, 10_000);
  static final String KEY = "sk-test-secret-1234";

  private final Map<String, String> env = new ConcurrentHashMap<>();
  private FakeUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setEnvironment(env::get))));
  }

  private UpstreamCall call(String apiKey, Timeouts timeouts) {
    return TestCalls.call(TestCalls.openai(upstream.baseUrl(), apiKey, timeouts), TestCalls.chat(100, null),
        edge.streamAddress());
  }

  private static String text(List<StreamChunk> chunks) {
    return chunks.stream().flatMap(c -> c.events().stream().flatMap(List::stream)).map(ChoiceDelta::content)
        .filter(s -> s != null).collect(Collectors.joining());
  }

  @Test
  @DisplayName("relays every chunk in order with seq 0..n, then END with the upstream's exact usage")
  void streamsChunksWithExactUsage() {
    upstream.respond(FakeUpstream.sse("chat-stream.sse", 37, false));
    UpstreamCall call = call(KEY, FAST);

    CallStarted started = await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertThat(started.deploymentId()).isEqualTo("dep-openai");
    assertThat(started.controlAddress()).startsWith("tollgate.connector.").endsWith(".control");
    EdgeHarness.assertGapless(chunks);
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events).as("role, 7 content chunks, finish; the usage-only chunk is no event").hasSize(9);
    assertThat(events.get(0).get(0).role()).isEqualTo("assistant");
    assertThat(text(chunks)).isEqualTo("Hello! How can I help? ☃");
    assertThat(events.get(8).get(0).finishReason()).isEqualTo(FinishReason.STOP);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(19, 8, 3, 2, false));
    // The stream takes well under a second: only the first message is acked, and only if it is a DELTA
    // (END is never acked; a fast upstream may fit the whole answer into it).
    long deltaMessages = chunks.stream().filter(c -> !c.isEnd()).count();
    assertThat(edge.acks()).as("one acked message per second at most").isLessThanOrEqualTo(1)
        .isEqualTo(deltaMessages > 0 ? 1 : 0);

    JsonObject sent = upstream.received().get(0).body();
    assertThat(upstream.received().get(0).headers().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(sent.getBoolean("stream")).isTrue();
    assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(sent.getInteger("max_tokens")).isEqualTo(100);
    assertThat(sent.getInteger("seed")).isEqualTo(42);
    assertThat(sent.getJsonArray("messages").getJsonObject(1).getString("content"))
        .isEqualTo("Say hello to the tollgate!!");

    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.status()).isEqualTo(Outcome.Status.OK);
    assertThat(outcome.usage()).isEqualTo(end.usage());
    assertThat(outcome.ttftMillis()).isBetween(0L, outcome.latencyMillis());
    assertThat(outcome.keyId()).isEqualTo("key-1");
    assertThat(outcome.tenantId()).isEqualTo("tenant-1");
    assertThat(outcome.provider()).isEqualTo("openai");
  }

  @Test
  @DisplayName("parses an event stream with CRLF line ends delivered one byte at a time")
  void crlfOneByteSlices() {
    upstream.respond(FakeUpstream.sse("chat-stream.sse", 1, true));
    UpstreamCall call = call(KEY, FAST);

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    assertThat(text(chunks)).isEqualTo("Hello! How can I help? ☃");
    assertThat(EdgeHarness.events(chunks)).hasSize(9);
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(19, 8, 3, 2, false));
  }

  @Test
  @DisplayName("relays typed tool-call deltas and estimates usage when the upstream reports none")
  void toolCallsAndEstimatedUsage() {
    upstream.respond(FakeUpstream.sse("chat-stream-tool-calls.sse", 64, false));
    UpstreamCall call = call(null, FAST);

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    assertThat(upstream.received().get(0).headers().contains("Authorization")).isFalse();
    List<ToolCallDelta> first = EdgeHarness.events(chunks).get(0).get(0).toolCalls();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).index()).isZero();
    assertThat(first.get(0).id()).isEqualTo("call_abc123");
    assertThat(first.get(0).name()).isEqualTo("get_current_weather");
    assertThat(EdgeHarness.events(chunks)).as("3 tool-call chunks, finish").hasSize(4);
    assertThat(EdgeHarness.events(chunks).get(3).get(0).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(TestCalls.ESTIMATED_PROMPT_TOKENS, 3, 0, 0, true));
  }

  @Test
  @DisplayName("maps a plain JSON completion (stream ignored by the upstream) to one delta per choice and END")
  void jsonCompletion() {
    upstream.respond(FakeUpstream.json(200, "chat-completion.json"));
    UpstreamCall call = call(KEY, FAST);

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events).as("one event with one delta per choice").hasSize(1);
    assertThat(events.get(0)).containsExactly(
        new ChoiceDelta(0, "assistant", "Hello! How can I assist you today?", null, FinishReason.STOP));
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(19, 10, 0, 0, false));
  }

  @Test
  @DisplayName("a stream that turns to garbage ends with ERROR and the upstream connection is closed")
  void malformedStream() {
    String good = FixturesEvents.first("chat-stream.sse", 3);
    upstream.respond((req, body) -> req.response().setChunked(true).putHeader("content-type", "text/event-stream")
        .write(good + "data: {\"choices\": [oops\n\n"));
    UpstreamCall call = call(KEY, FAST);

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("malformed");
    assertThat(end.usage()).isEqualTo(new Usage(TestCalls.ESTIMATED_PROMPT_TOKENS, 1, 0, 0, true));
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("resolves a ${ENV} credential on the connector node at call time")
  void envCredential() {
    env.put("TOLLGATE_TEST_KEY", "sk-from-env");
    upstream.respond(FakeUpstream.json(200, "chat-completion.json"));
    UpstreamCall call = call("${TOLLGATE_TEST_KEY}", FAST);

    await(edge.call("openai", call));
    await(edge.end(call.requestId()));

    assertThat(upstream.received().get(0).headers().get("Authorization")).isEqualTo("Bearer sk-from-env");
  }

  @Test
  @DisplayName("fails with UPSTREAM_AUTH, without calling the upstream, when the credential variable is unset")
  void unsetEnvCredential() {
    UpstreamCall call = call("${TOLLGATE_MISSING_KEY}", FAST);

    ReplyException failure = (ReplyException) awaitFailure(edge.call("openai", call));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_AUTH.wire());
    assertThat(failure.getMessage()).isEqualTo("credential TOLLGATE_MISSING_KEY is not set on this connector node");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  @DisplayName("answers the readiness ping and ignores cancels for unknown requests")
  void pingAndUnknownCancel(Vertx vertx) {
    await(vertx.eventBus().request(Addresses.connectorPing("openai"), null));
    upstream.respond(FakeUpstream.json(200, "chat-completion.json"));
    UpstreamCall call = call(KEY, FAST);
    CallStarted started = await(edge.call("openai", call));

    vertx.eventBus().send(started.controlAddress(), new Cancel("no-such-request", 0, "client disconnected"));

    assertThat(EdgeHarness.last(await(edge.end(call.requestId()))).status()).isEqualTo(Outcome.Status.OK);
  }
}
