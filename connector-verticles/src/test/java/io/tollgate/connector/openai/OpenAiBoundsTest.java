package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAI connector reads upstream bodies with a cap")
class OpenAiBoundsTest {

  static final int CAP = 4 * 1024;
  /**
   * Longer than the tests wait (5 s): a connector that kept reading an endless body would only
   * fail by these timeouts, after the test gave up. Generous, since a cold first call on a busy
   * machine can take seconds.
   */
  static final Timeouts PATIENT = new Timeouts(2_000, 10_000, 10_000, 30_000);

  private FakeUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setMaxErrorBodyBytes(CAP)
        .setMaxResponseBodyBytes(CAP).setProviders(List.of("openai")))));
  }

  private UpstreamCall call() {
    return TestCalls.call(TestCalls.openai(upstream.baseUrl(), "sk-test-secret-1234", PATIENT),
        TestCalls.chat(null, null), edge.streamAddress());
  }

  /**
   * A body that never ends: a 16 KiB chunk every few ms for as long as the connection stays open
   * (paced, so it does not starve the event loops the connector shares with it).
   */
  static BiConsumer<HttpServerRequest, JsonObject> endless(int status, String contentType) {
    return (req, body) -> {
      HttpServerResponse response = req.response().setStatusCode(status).setChunked(true)
          .putHeader("content-type", contentType);
      Buffer chunk = Buffer.buffer("x".repeat(16 * 1024));
      Vertx vertx = Vertx.currentContext().owner();
      vertx.setPeriodic(0, 5, id -> {
        if (response.closed()) {
          vertx.cancelTimer(id);
        } else if (!response.writeQueueFull()) {
          response.write(chunk);
        }
      });
    };
  }

  @Test
  @DisplayName("an endless error body: fails by the status at once and hangs up, instead of reading until a timeout")
  void endlessErrorBody() {
    upstream.respond(endless(500, "application/json"));
    long t0 = System.nanoTime();

    Throwable failure = awaitFailure(edge.call("openai", call()));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.UPSTREAM_ERROR.wire());
    assertThat(failure.getMessage()).isEqualTo("upstream answered HTTP 500");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(PATIENT.firstByteMs());
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("an error status keeps its own code when its body is over the cap (a 401 stays upstream_auth_failed)")
  void bigErrorBodyKeepsStatusCode() {
    upstream.respond((req, body) -> req.response().setStatusCode(401).putHeader("content-type", "text/html")
        .end("<html>" + "y".repeat(CAP * 4) + "</html>"));

    Throwable failure = awaitFailure(edge.call("openai", call()));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.UPSTREAM_AUTH.wire());
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("an endless non-streaming completion: ends with UPSTREAM_ERROR at the cap and hangs up")
  void endlessCompletion() {
    upstream.respond(endless(200, "application/json"));
    UpstreamCall call = call();
    long t0 = System.nanoTime();

    await(edge.call("openai", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("limit of " + CAP + " bytes");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(PATIENT.idleMs());
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("a completion whose Content-Length is over the cap is refused without reading it")
  void declaredTooLong() {
    upstream.respond((req, body) -> req.response().putHeader("content-type", "application/json")
        .end("{\"pad\":\"" + "z".repeat(CAP) + "\"}"));
    UpstreamCall call = call();

    await(edge.call("openai", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("limit of " + CAP + " bytes");
    await(upstream.received().get(0).connectionClosed(), 1_000);
  }

  @Test
  @DisplayName("a completion under the cap is still relayed whole")
  void underTheCap() {
    upstream.respond(FakeUpstream.json(200, "chat-completion.json"));
    UpstreamCall call = call();

    await(edge.call("openai", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
  }
}
