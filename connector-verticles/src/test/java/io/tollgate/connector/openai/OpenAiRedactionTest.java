package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.Redact;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.LogCapture;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Upstream failures: safe messages for the client, the upstream's words (without secrets) in the log")
class OpenAiRedactionTest {

  static final String KEY = "sk-test-secret-1234";
  static final String INTERNAL_URL = "http://10.1.2.3:8000";
  static final String MASKED_KEY = "sk-proj-abcd...1234";
  static final String LEAKY = "{\"error\":{\"message\":\"backend " + INTERNAL_URL + " rejected " + MASKED_KEY
      + " and " + KEY + "\",\"type\":\"server_error\"}}";
  static final Timeouts SHORT = new Timeouts(1_000, 2_000, 2_000, 10_000);

  private FakeUpstream upstream;
  private EdgeHarness edge;
  private LogCapture log;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    log = LogCapture.of(OpenAiExchange.class);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setProviders(List.of("openai")))));
  }

  @AfterEach
  void tearDown() {
    log.close();
  }

  private UpstreamCall call(String baseUrl) {
    return TestCalls.call(TestCalls.openai(baseUrl, KEY, SHORT), TestCalls.chat(null, null), edge.streamAddress());
  }

  /** The one WARN line about this request. */
  private String logLine(UpstreamCall call) {
    List<String> lines = log.lines().stream().filter(l -> l.contains(call.requestId())).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("WARN ");
    return lines.get(0);
  }

  @Test
  @DisplayName("an upstream 500 naming an internal URL and a masked key: the failure says the status only")
  void errorStatus() {
    upstream.respond((req, body) -> req.response().setStatusCode(500).putHeader("content-type", "application/json")
        .end(LEAKY));
    UpstreamCall call = call(upstream.baseUrl());

    Throwable failure = awaitFailure(edge.call("openai", call));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.UPSTREAM_ERROR.wire());
    assertThat(failure.getMessage()).isEqualTo("upstream answered HTTP 500");
    String line = logLine(call);
    assertThat(line).contains("upstream answered HTTP 500", INTERNAL_URL, "dep-openai", Redact.MARK)
        .doesNotContain("sk-proj", "abcd...1234", KEY);
  }

  @Test
  @DisplayName("an error object inside a 200 stream: the stream ends with a safe message, the text is logged")
  void errorInStream() {
    upstream.respond(FakeUpstream.rawSse("data: " + LEAKY + "\n\n"));
    UpstreamCall call = call(upstream.baseUrl());

    await(edge.call("openai", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).isEqualTo("upstream reported an error in its response");
    assertThat(logLine(call)).contains(INTERNAL_URL, Redact.MARK).doesNotContain("sk-proj", KEY);
  }

  @Test
  @DisplayName("a malformed stream: the message names the kind of failure, not the bytes the upstream sent")
  void malformed() {
    upstream.respond(FakeUpstream.rawSse("data: {\"choices\": [ " + INTERNAL_URL + "\n\n"));
    UpstreamCall call = call(upstream.baseUrl());

    await(edge.call("openai", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).startsWith("malformed response from upstream").doesNotContain("10.1.2.3");
    assertThat(logLine(call)).contains("malformed");
  }

  @Test
  @DisplayName("a refused connection: the failure has no host or port, the log has both")
  void refused(Vertx vertx) {
    // Port 1 (tcpmux) has no listener here; a port freed by the test could be taken by another process.
    int port = 1;
    UpstreamCall call = call("http://127.0.0.1:" + port + "/v1");

    Throwable failure = awaitFailure(edge.call("openai", call));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE.wire());
    assertThat(failure.getMessage()).doesNotContain("127.0.0.1", Integer.toString(port));
    assertThat(logLine(call)).contains("127.0.0.1:" + port);
  }
}
