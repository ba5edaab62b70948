package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.SseParser;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAI connector when the upstream sends an event-stream line or event without end")
class OversizedStreamTest {

  private FakeUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  /** The first events of the fixture, then {@code endless} and silence with the connection open. */
  private void respondWith(Buffer endless) {
    respondWith(endless, false);
  }

  private void respondWith(Buffer endless, boolean thenEnd) {
    upstream.respond((req, body) -> {
      HttpServerResponse response = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      response.write(FixturesEvents.first("chat-stream.sse", OpenAiFailureTest.EVENTS_TO_HOW));
      for (int i = 0; i < endless.length(); i += 64 * 1024) {
        response.write(endless.slice(i, Math.min(endless.length(), i + 64 * 1024)).copy());
      }
      if (thenEnd) {
        response.end();
      }
    });
  }

  private List<StreamChunk> run() {
    UpstreamCall call = TestCalls.call(TestCalls.openai(upstream.baseUrl(), OpenAiFailureTest.KEY,
        OpenAiFailureTest.PATIENT), TestCalls.chat(null, null), edge.streamAddress());
    await(edge.call("openai", call));
    return await(edge.end(call.requestId()));
  }

  private void assertUpstreamError(List<StreamChunk> chunks, String what) {
    EdgeHarness.assertGapless(chunks);
    assertThat(EdgeHarness.events(chunks)).hasSize(OpenAiFailureTest.DELTAS_TO_HOW);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("event-stream " + what + " longer than");
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("a line longer than the limit fails the call with UPSTREAM_ERROR at once and hangs up")
  void endlessLine() {
    Buffer line = Buffer.buffer("data: {\"x\":\"");
    line.appendBuffer(Buffer.buffer(new byte[SseParser.DEFAULT_MAX_EVENT_BYTES + 1024]));
    respondWith(line);

    assertUpstreamError(run(), "line");
  }

  @Test
  @DisplayName("an event of many short data lines that never ends fails with UPSTREAM_ERROR at once and hangs up")
  void endlessEvent() {
    Buffer lines = Buffer.buffer();
    String line = "data: " + "x".repeat(1000) + "\n";
    while (lines.length() <= SseParser.DEFAULT_MAX_EVENT_BYTES + 64 * 1024) {
      lines.appendString(line);
    }
    respondWith(lines);

    assertUpstreamError(run(), "event");
  }

  @Test
  @DisplayName("an event that passes the limit only with its last line, at the end of the body, fails with UPSTREAM_ERROR")
  void oversizedAtTheEnd() {
    int half = SseParser.DEFAULT_MAX_EVENT_BYTES / 2 + 1024;
    Buffer body = Buffer.buffer("data: ").appendBuffer(Buffer.buffer("x".repeat(half))).appendString("\n")
        .appendString("data: ").appendBuffer(Buffer.buffer("y".repeat(half)));
    respondWith(body, true);

    List<StreamChunk> chunks = run();
    EdgeHarness.assertGapless(chunks);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("event-stream event longer than");
  }
}
