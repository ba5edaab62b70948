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
import io.tollgate.connector.Fixtures;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Upstream connections: HTTP/2 where offered, a bounded pool with a clear error when full")
class UpstreamPoolTest {

  static final Timeouts PATIENT = new Timeouts(5_000, 10_000, 10_000, 30_000);
  /** A JVM's first TLS handshake (its SSL context, the self-signed key) took seconds on a busy 2-core machine. */
  static final Timeouts TLS_PATIENT = new Timeouts(30_000, 30_000, 30_000, 60_000);

  @Test
  @DisplayName("a full pool and a full queue answer upstream_pool_exhausted at once, without waiting for connect_ms")
  void poolExhausted(Vertx vertx) {
    Codecs.registerAll(vertx);
    FakeUpstream upstream = FakeUpstream.start(vertx);
    EdgeHarness edge = EdgeHarness.start(vertx);
    Promise<Void> release = Promise.promise();
    // The first call holds the only connection until released; the answer then comes whole.
    upstream.respond((req, body) -> release.future().onComplete(v ->
        FakeUpstream.sse("chat-stream.sse", 4096, false).accept(req, body)));
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setHttpPoolSize(1).setHttpPoolQueue(0))));

    UpstreamCall holding = TestCalls.call(TestCalls.openai(upstream.baseUrl(), "sk-test", PATIENT),
        TestCalls.chat(null, null), edge.streamAddress());
    edge.call("openai", holding);
    await(upstream.firstRequest());

    UpstreamCall refused = TestCalls.call(TestCalls.openai(upstream.baseUrl(), "sk-test", PATIENT),
        TestCalls.chat(null, null), edge.streamAddress());
    long started = System.nanoTime();
    Throwable failure = awaitFailure(edge.call("openai", refused));
    long waitedMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.UPSTREAM_POOL_EXHAUSTED.wire());
    assertThat(failure.getMessage()).contains("http_pool_size").doesNotContain("127.0.0.1");
    // connect_ms is 5 s: the refusal did not wait for it (a generous bound for a loaded machine).
    assertThat(waitedMs).isLessThan(PATIENT.connectMs());
    Outcome outcome = await(edge.outcome(refused.requestId()));
    assertThat(outcome.error()).isEqualTo(ErrorCode.UPSTREAM_POOL_EXHAUSTED);
    assertThat(ErrorCode.UPSTREAM_POOL_EXHAUSTED.retryable())
        .as("not failed over and not held against the deployment's breaker").isFalse();

    // The held call still completes once the upstream answers.
    release.complete();
    List<StreamChunk> chunks = await(edge.end(holding.requestId()));
    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
  }

  @Test
  @DisplayName("an HTTPS upstream that offers h2 is called over HTTP/2; with http2 off, over HTTP/1.1")
  void http2OverTls() {
    // A name of our own for the loopback server, so the certificate can name it (the JVM's "localhost"
    // may resolve to ::1 first, which goes nowhere here).
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setAddressResolverOptions(
        new io.vertx.core.dns.AddressResolverOptions().setHostsValue(
            io.vertx.core.buffer.Buffer.buffer("127.0.0.1 upstream.test\n"))));
    try {
      http2OverTls(vertx);
    } finally {
      await(vertx.close());
    }
  }

  private void http2OverTls(Vertx vertx) {
    Codecs.registerAll(vertx);
    EdgeHarness edge = EdgeHarness.start(vertx);
    SelfSignedCertificate cert = SelfSignedCertificate.create("upstream.test");
    List<HttpVersion> versions = new CopyOnWriteArrayList<>();
    HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
            .setKeyCertOptions(cert.keyCertOptions()))
        .requestHandler(req -> req.body().onSuccess(body -> {
          versions.add(req.version());
          req.response().putHeader("content-type", "text/event-stream").end(Fixtures.text("chat-stream.sse"));
        }))
        .listen(0, "127.0.0.1"));
    String baseUrl = "https://upstream.test:" + server.actualPort() + "/v1";

    for (boolean http2 : new boolean[] {false, true}) {
      String id = await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setHttp2(http2)
          .setUpstreamTrust(cert.trustOptions()))));
      UpstreamCall call = TestCalls.call(TestCalls.openai(baseUrl, "sk-test", TLS_PATIENT), TestCalls.chat(null, null),
          edge.streamAddress());
      await(edge.call("openai", call), TLS_PATIENT.connectMs() + 5_000);
      assertThat(EdgeHarness.last(await(edge.end(call.requestId()))).status()).isEqualTo(Outcome.Status.OK);
      await(vertx.undeploy(id));
    }
    assertThat(versions).containsExactly(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2);
  }
}
