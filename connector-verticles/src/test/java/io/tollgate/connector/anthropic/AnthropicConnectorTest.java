package io.tollgate.connector.anthropic;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.Fixtures;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
@DisplayName("The Anthropic connector against a loopback server speaking the Messages API")
class AnthropicConnectorTest {

  /** Timeouts are not under test here: patient enough for a loaded machine. */
  static final Timeouts PATIENT = new Timeouts(1_000, 5_000, 5_000, 10_000);
  static final String KEY = "sk-ant-test-secret-1234";

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

  private DeploymentConfig deployment(String apiKey) {
    return new DeploymentConfig("dep-anthropic", "anthropic", upstream.rootUrl(), apiKey, "claude-sonnet-4-5", null,
        null, PATIENT, null, null, null, null);
  }

  private UpstreamCall call(String apiKey) {
    return call(apiKey, TestCalls.chat(100, null).toBuilder().extra(null).build());
  }

  private UpstreamCall call(String apiKey, ChatRequest chat) {
    return TestCalls.call(deployment(apiKey), chat, edge.streamAddress());
  }

  private static String text(List<StreamChunk> chunks) {
    return EdgeHarness.events(chunks).stream().flatMap(List::stream).map(ChoiceDelta::content)
        .filter(Objects::nonNull).collect(Collectors.joining());
  }

  @Test
  @DisplayName("posts to /v1/messages with x-api-key and anthropic-version, streams, and reports the exact usage")
  void textStream() {
    upstream.respond(FakeUpstream.sse("anthropic-text.sse", 64, false));
    UpstreamCall call = call(KEY);

    CallStarted started = await(edge.call("anthropic", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertThat(started.deploymentId()).isEqualTo("dep-anthropic");
    EdgeHarness.assertGapless(chunks);
    assertThat(text(chunks)).isEqualTo("Hello!");
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events.get(0).get(0).role()).isEqualTo("assistant");
    assertThat(events.get(events.size() - 1).get(0).finishReason()).isEqualTo(FinishReason.STOP);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(25, 15, 0, 0, false, 0));

    FakeUpstream.Received received = upstream.received().get(0);
    assertThat(received.path()).isEqualTo("/v1/messages");
    assertThat(received.headers().get("x-api-key")).isEqualTo(KEY);
    assertThat(received.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(received.headers().get("content-type")).isEqualTo("application/json");
    assertThat(received.headers().contains("Authorization")).isFalse();
    assertThat(received.body()).isEqualTo(new JsonObject("""
        {"model":"claude-sonnet-4-5","system":"You are terse.",
         "messages":[{"role":"user","content":"Say hello to the tollgate!!"}],
         "max_tokens":100,"temperature":0.5,"metadata":{"user_id":"user-7"},"stream":true}"""));

    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.provider()).isEqualTo("anthropic");
    assertThat(outcome.usage()).isEqualTo(end.usage());
  }

  @Test
  @DisplayName("relays a tool call's streamed input, delivered one byte at a time with CRLF line ends")
  void toolUseOneByteCrlf() {
    upstream.respond(FakeUpstream.sse("anthropic-tool-use.sse", 1, true));
    UpstreamCall call = call(KEY);

    await(edge.call("anthropic", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    List<ToolCallDelta> tools = EdgeHarness.events(chunks).stream().flatMap(List::stream)
        .filter(d -> d.toolCalls() != null).flatMap(d -> d.toolCalls().stream()).toList();
    assertThat(tools.get(0).id()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assertThat(new JsonObject(tools.stream().map(ToolCallDelta::arguments).filter(Objects::nonNull)
        .collect(Collectors.joining()))).isEqualTo(new JsonObject(
            "{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(472, 89, 0, 0, false, 0));
  }

  @Test
  @DisplayName("maps a whole JSON message from an upstream that ignored stream: true")
  void wholeMessage() {
    upstream.respond(FakeUpstream.json(200, "anthropic-message.json"));
    UpstreamCall call = call(KEY);

    await(edge.call("anthropic", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertThat(text(chunks)).isEqualTo("Hi! My name is Claude.");
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(2095, 503, 0, 0, false, 0));
  }

  @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
  @CsvSource({
      "529, anthropic-overloaded.json, UPSTREAM_OVERLOADED",
      "400, anthropic-invalid-request.json, UPSTREAM_BAD_REQUEST",
      "401, anthropic-invalid-request.json, UPSTREAM_AUTH",
      "429, anthropic-invalid-request.json, UPSTREAM_RATE_LIMITED",
      "500, anthropic-invalid-request.json, UPSTREAM_ERROR"})
  @DisplayName("an error status before the first byte fails the call with the matching code")
  void errorStatus(int status, String fixture, ErrorCode expected) {
    upstream.respond(FakeUpstream.json(status, fixture));
    UpstreamCall call = call(KEY);

    ReplyException failure = (ReplyException) awaitFailure(edge.call("anthropic", call));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(expected);
    assertThat(failure.getMessage()).doesNotContain("roles must alternate");
  }

  @Test
  @DisplayName("an overloaded_error event mid-stream ends the stream with UPSTREAM_OVERLOADED")
  void overloadedMidStream() {
    String start = String.join("\n\n", Fixtures.events("anthropic-text.sse").subList(0, 4)) + "\n\n";
    upstream.respond(FakeUpstream.rawSse(start
        + "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"));
    UpstreamCall call = call(KEY);

    await(edge.call("anthropic", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED);
    assertThat(text(chunks)).isEqualTo("Hello");
  }

  @Test
  @DisplayName("a stream that ends before saying why it stopped is an error; after message_delta it is complete")
  void truncatedStreams() {
    List<String> events = Fixtures.events("anthropic-text.sse");
    upstream.respond(FakeUpstream.rawSse(String.join("\n\n", events.subList(0, 5)) + "\n\n"));
    UpstreamCall cut = call(KEY);
    await(edge.call("anthropic", cut));
    StreamChunk cutEnd = EdgeHarness.last(await(edge.end(cut.requestId())));
    assertThat(cutEnd.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(cutEnd.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(cutEnd.usage()).isEqualTo(new Usage(25, 2, 0, 0, true));

    upstream.respond(FakeUpstream.rawSse(String.join("\n\n", events.subList(0, 7)) + "\n\n"));
    UpstreamCall noStop = call(KEY);
    await(edge.call("anthropic", noStop));
    StreamChunk noStopEnd = EdgeHarness.last(await(edge.end(noStop.requestId())));
    assertThat(noStopEnd.status()).isEqualTo(Outcome.Status.OK);
    assertThat(noStopEnd.usage()).isEqualTo(new Usage(25, 15, 0, 0, false, 0));
  }

  @Test
  @DisplayName("a cancel resets the upstream connection; usage keeps the prompt Anthropic counted and estimates the output")
  void cancel(Vertx vertx) {
    upstream.respond(FakeUpstream.sseThenStall("anthropic-text.sse", 5));
    UpstreamCall call = call(KEY);
    CallStarted started = await(edge.call("anthropic", call));
    await(edge.deltas(call.requestId(), 3));

    vertx.eventBus().send(started.controlAddress(), new Cancel(call.requestId(), call.attempt(), "client disconnected"));

    await(upstream.received().get(0).connectionClosed(), 1_000);
    List<StreamChunk> chunks = await(edge.end(call.requestId()));
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(text(chunks)).isEqualTo("Hello!");
    assertThat(end.usage()).as("input_tokens of message_start, two text deltas relayed")
        .isEqualTo(new Usage(25, 2, 0, 0, true));
    assertThat(await(edge.outcome(call.requestId())).usage()).isEqualTo(end.usage());
  }

  @Test
  @DisplayName("a request that cannot be said in Anthropic's format is a 400 without calling the upstream")
  void untranslatable() {
    ReplyException failure = (ReplyException) awaitFailure(edge.call("anthropic", call(KEY, TestCalls.chat(100, 2))));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure.getMessage()).contains("'seed'");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  @DisplayName("prompt-caching usage: the prompt includes cache reads and writes, and writes are priced at 1.25x input")
  void cachingUsageAndCost() {
    upstream.respond(FakeUpstream.rawSse("""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":1000,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Themes."}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":393}}

        event: message_stop
        data: {"type":"message_stop"}

        """));
    DeploymentConfig priced = new DeploymentConfig("dep-anthropic", "anthropic", upstream.rootUrl(), KEY,
        "claude-sonnet-4-5", null, null, PATIENT, null, new java.math.BigDecimal("3"), new java.math.BigDecimal("15"),
        new java.math.BigDecimal("0.30"));
    UpstreamCall call = TestCalls.call(priced, TestCalls.chat(100, null).toBuilder().extra(null).build(),
        edge.streamAddress());

    await(edge.call("anthropic", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));
    StreamChunk end = EdgeHarness.last(chunks);

    assertThat(end.usage()).isEqualTo(new Usage(21 + 1000 + 188086, 393, 1000, 0, false, 188086));
    assertThat(text(chunks)).isEqualTo("Themes.");
    // 21 * $3 + 1000 * $0.30 + 188086 * $3.75 + 393 * $15, per million tokens
    assertThat(await(edge.outcome(call.requestId())).costUsd()).isEqualByComparingTo("0.7115805");
  }

  @Test
  @DisplayName("an untranslatable request is a 400 at once even when the credential is read from a file, off the loop")
  void untranslatableWithAsyncCredential(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path keyFile = java.nio.file.Files.writeString(dir.resolve("anthropic-key"), "sk-ant-from-file");
    UpstreamCall call = call("file:" + keyFile, TestCalls.chat(100, null).toBuilder().extra(null)
        .temperature(1.8).build());

    // Mapped after the asynchronous file read, the refusal was thrown inside a callback and lost:
    // the call hung until the first-byte timeout instead of answering 400.
    ReplyException failure = (ReplyException) awaitFailure(edge.call("anthropic", call));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure.getMessage()).contains("'temperature'");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  @DisplayName("resolves a ${ENV} credential on the connector node and sends it as x-api-key")
  void envCredential() {
    env.put("TOLLGATE_ANTHROPIC_KEY", "sk-ant-from-env");
    upstream.respond(FakeUpstream.json(200, "anthropic-message.json"));
    UpstreamCall call = call("${TOLLGATE_ANTHROPIC_KEY}");

    await(edge.call("anthropic", call));
    await(edge.end(call.requestId()));

    assertThat(upstream.received().get(0).headers().get("x-api-key")).isEqualTo("sk-ant-from-env");
  }
}
