package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.LogCapture;
import io.tollgate.connector.TestCalls;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAI connector when the upstream, the edge or the client fails")
class OpenAiFailureTest {

  static final String KEY = "sk-test-secret-1234";
  static final Timeouts SHORT = new Timeouts(1_000, 300, 300, 10_000);
  static final Timeouts PATIENT = new Timeouts(1_000, 5_000, 5_000, 10_000);
  /** Events of chat-stream.sse up to " How": a comment, the role chunk, then three content chunks. */
  static final int EVENTS_TO_HOW = 5;
  /** Stream events (chunks with choice deltas) among them: the role chunk and three content chunks. */
  static final int DELTAS_TO_HOW = 4;

  private FakeUpstream upstream;
  private EdgeHarness edge;
  private String firstConnector;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    firstConnector = await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(String baseUrl, Timeouts timeouts, String streamAddress) {
    return TestCalls.call(TestCalls.openai(baseUrl, KEY, timeouts), TestCalls.chat(null, null), streamAddress);
  }

  /** seq 0..n per message, exactly one END and it is the last message. */

  private static ReplyException replyFailure(Throwable t) {
    assertThat(t).isInstanceOf(ReplyException.class);
    return (ReplyException) t;
  }

  @ParameterizedTest(name = "HTTP {0} -> {2}")
  @CsvSource({
      "401, error-401.json, UPSTREAM_AUTH, Incorrect API key provided",
      "403, error-401.json, UPSTREAM_AUTH, Incorrect API key provided",
      "429, error-429.json, UPSTREAM_RATE_LIMITED, Rate limit reached for gpt-4o-mini",
      "500, error-500.json, UPSTREAM_ERROR, The server had an error",
      "503, error-500.json, UPSTREAM_ERROR, The server had an error",
      "400, error-400.json, UPSTREAM_BAD_REQUEST, Invalid 'temperature': decimal above maximum value",
      "404, error-400.json, UPSTREAM_BAD_REQUEST, Invalid 'temperature'"})
  @DisplayName("maps an upstream error status to the gateway's code; the message names the status, the log the upstream's words")
  void statusMapping(int status, String fixture, ErrorCode expected, String upstreamMessage) {
    upstream.respond(FakeUpstream.json(status, fixture));
    UpstreamCall call = call(upstream.baseUrl(), SHORT, edge.streamAddress());

    ReplyException failure;
    try (LogCapture log = LogCapture.of(OpenAiExchange.class)) {
      failure = replyFailure(awaitFailure(edge.call("openai", call)));
      assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains(call.requestId(), upstreamMessage));
    }

    assertThat(failure.failureCode()).isEqualTo(expected.wire());
    assertThat(failure.getMessage()).isEqualTo("upstream answered HTTP " + status);
  }

  @Test
  @DisplayName("an upstream 429 with Retry-After: 2 fails the call with that wait on the reply and in the outcome")
  void retryAfterCarried() {
    upstream.respond((req, body) -> req.response().setStatusCode(429).putHeader("retry-after", "2")
        .putHeader("content-type", "application/json").end(io.tollgate.connector.Fixtures.text("error-429.json")));
    UpstreamCall call = call(upstream.baseUrl(), SHORT, edge.streamAddress());

    ReplyException failure = replyFailure(awaitFailure(edge.call("openai", call)));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED.wire());
    assertThat(failure).isInstanceOf(io.tollgate.api.bus.UpstreamFailure.class);
    assertThat(((io.tollgate.api.bus.UpstreamFailure) failure).retryAfterMs()).isEqualTo(2_000);
    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.retryAfterMs()).isEqualTo(2_000);
    assertThat(outcome.error()).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
  }

  @Test
  @DisplayName("fails with UPSTREAM_UNREACHABLE when the upstream refuses the connection")
  void connectionRefused(Vertx vertx) {
    // Port 1 (tcpmux) has no listener here; a port freed by the test could be taken by another process.
    int port = 1;

    ReplyException failure = replyFailure(awaitFailure(edge.call("openai",
        call("http://127.0.0.1:" + port + "/v1", SHORT, edge.streamAddress()))));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE.wire());
    assertThat(failure.getMessage()).contains("connection refused");
  }

  @Test
  @DisplayName("fails with UPSTREAM_UNREACHABLE when no connection can be had within connect_ms")
  void connectTimeout(Vertx vertx) {
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setHttpPoolSize(1)
        .setProviders(List.of("openai")))));
    await(vertx.undeploy(firstConnector));
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    UpstreamCall holding = call(upstream.baseUrl(), PATIENT, edge.streamAddress());
    await(edge.call("openai", holding));
    long t0 = System.nanoTime();

    ReplyException failure = replyFailure(awaitFailure(edge.call("openai",
        call(upstream.baseUrl(), new Timeouts(200, 5_000, 5_000, 10_000), edge.streamAddress()))));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE.wire());
    assertThat(failure.getMessage()).contains("connect_ms");
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 2_000L);
  }

  @Test
  @DisplayName("fails with UPSTREAM_TIMEOUT when no status line comes within first_byte_ms, and hangs up")
  void firstByteTimeout() {
    upstream.respond(FakeUpstream.silent());
    long t0 = System.nanoTime();

    ReplyException failure = replyFailure(awaitFailure(edge.call("openai",
        call(upstream.baseUrl(), SHORT, edge.streamAddress()))));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT.wire());
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 2_000L);
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("ends the stream with ERROR UPSTREAM_TIMEOUT when the upstream falls silent mid-stream")
  void idleTimeout() {
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    UpstreamCall call = call(upstream.baseUrl(), SHORT, edge.streamAddress());

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertFailedAfterHow(chunks, ErrorCode.UPSTREAM_TIMEOUT);
    await(upstream.received().get(0).connectionClosed(), 1_000);
    assertThat(await(edge.outcome(call.requestId())).status()).isEqualTo(Outcome.Status.ERROR);
  }

  @Test
  @DisplayName("a cancel closes the upstream connection within a second and ends CANCELLED with tokens so far")
  void cancel(Vertx vertx) {
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    UpstreamCall call = call(upstream.baseUrl(), PATIENT, edge.streamAddress());
    CallStarted started = await(edge.call("openai", call));
    await(edge.deltas(call.requestId(), DELTAS_TO_HOW));

    vertx.eventBus().send(started.controlAddress(), new Cancel(call.requestId(), call.attempt(), "client disconnected"));

    await(upstream.received().get(0).connectionClosed(), 1_000);
    List<StreamChunk> chunks = await(edge.end(call.requestId()));
    EdgeHarness.assertGapless(chunks);
    assertThat(EdgeHarness.events(chunks)).hasSize(DELTAS_TO_HOW);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(end.usage()).isEqualTo(new Usage(TestCalls.ESTIMATED_PROMPT_TOKENS, 3, 0, 0, true));
    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(outcome.usage()).isEqualTo(end.usage());
  }

  @Test
  @DisplayName("when nobody consumes the edge stream address, the upstream call is cancelled")
  void edgeGone() {
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    UpstreamCall call = call(upstream.baseUrl(), PATIENT, "tollgate.edge.vanished.stream");

    await(edge.call("openai", call));

    await(upstream.received().get(0).connectionClosed(), 1_000);
    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(outcome.message()).contains("edge gone");
  }

  @Test
  @DisplayName("when the edge fails the ack (it forgot the request), the upstream call is cancelled")
  void edgeForgotRequest() {
    edge.forgetRequests();
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    UpstreamCall call = call(upstream.baseUrl(), PATIENT, edge.streamAddress());

    await(edge.call("openai", call));

    await(upstream.received().get(0).connectionClosed(), 1_000);
    List<StreamChunk> chunks = await(edge.end(call.requestId()));
    assertThat(chunks.get(chunks.size() - 1).status()).isEqualTo(Outcome.Status.CANCELLED);
  }

  @Test
  @DisplayName("ends the stream with ERROR UPSTREAM_TIMEOUT when the whole call exceeds total_ms")
  void totalTimeout() {
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    UpstreamCall call = call(upstream.baseUrl(), new Timeouts(1_000, 5_000, 5_000, 400), edge.streamAddress());

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    StreamChunk end = chunks.get(chunks.size() - 1);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(end.message()).contains("total timeout of 400 ms");
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("ends the stream with ERROR UPSTREAM_ERROR when the upstream drops the connection mid-stream")
  void connectionDroppedMidStream() {
    upstream.respond((req, body) -> {
      req.response().setChunked(true).putHeader("content-type", "text/event-stream")
          .write(FixturesEvents.first("chat-stream.sse", EVENTS_TO_HOW));
      req.connection().close();
    });
    UpstreamCall call = call(upstream.baseUrl(), PATIENT, edge.streamAddress());

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertFailedAfterHow(chunks, ErrorCode.UPSTREAM_ERROR);
  }

  @Test
  @DisplayName("with several connector instances, each cancel reaches the instance that holds the call")
  void severalInstances(Vertx vertx) {
    await(vertx.deployVerticle(() -> new ConnectorVerticle(new ConnectorOptions()),
        new DeploymentOptions().setInstances(2)));
    upstream.respond(FakeUpstream.sseThenStall("chat-stream.sse", EVENTS_TO_HOW));
    Map<String, String> controlByRequest = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      UpstreamCall call = call(upstream.baseUrl(), PATIENT, edge.streamAddress());
      controlByRequest.put(call.requestId(), await(edge.call("openai", call)).controlAddress());
      await(edge.deltas(call.requestId(), DELTAS_TO_HOW));
    }
    assertThat(new HashSet<>(controlByRequest.values())).as("calls spread over instances").hasSizeGreaterThan(1);

    controlByRequest.forEach((requestId, control) -> vertx.eventBus().send(control, new Cancel(requestId, Cancel.ANY_ATTEMPT, "test")));

    for (String requestId : controlByRequest.keySet()) {
      List<StreamChunk> chunks = await(edge.end(requestId));
      assertThat(chunks.get(chunks.size() - 1).status()).isEqualTo(Outcome.Status.CANCELLED);
    }
    for (FakeUpstream.Received received : upstream.received()) {
      await(received.connectionClosed(), 1_000);
    }
  }

  /** The stream relayed everything up to " How", then ended with this error and estimated usage. */
  private static void assertFailedAfterHow(List<StreamChunk> chunks, ErrorCode error) {
    EdgeHarness.assertGapless(chunks);
    assertThat(EdgeHarness.events(chunks)).hasSize(DELTAS_TO_HOW);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(error);
    assertThat(end.usage()).isEqualTo(new Usage(TestCalls.ESTIMATED_PROMPT_TOKENS, 3, 0, 0, true));
  }
}
