package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Edge connections: idle and slow clients are dropped, the connection limit holds")
class ConnectionHygieneTest {

  static final long SHORT_MS = 400;
  /**
   * Far longer than any timeout under test (the limit test's are longer still): a connection still
   * open after it was not dropped. Upper bounds are this loose because the machine may be busy.
   */
  static final long PATIENCE_MS = 3_000;
  static final String GET_404 = "GET /nope HTTP/1.1\r\nHost: edge\r\n\r\n";

  private static EdgeOptions shortTimeouts() {
    return EdgeOptions.defaults().withConnections(SHORT_MS, SHORT_MS, 100);
  }

  @Test
  @DisplayName("a client that sends half its request headers and stalls is disconnected after the timeout")
  void halfHeaders(Vertx vertx) {
    EdgeVerticle edge = TestEdge.start(vertx, shortTimeouts());
    try (RawClient client = new RawClient(edge.actualPort())) {
      client.send("GET /v1/models HTTP/1.1\r\nHost: edge\r\nAuthori");

      assertThat(client.awaitClosed(PATIENCE_MS)).isBetween(SHORT_MS - 100, PATIENCE_MS);
    }
  }

  @Test
  @DisplayName("a client that sends its headers but only part of the body is disconnected after the read timeout")
  void slowBody(Vertx vertx) {
    EdgeVerticle edge = TestEdge.start(vertx, shortTimeouts());
    try (RawClient client = new RawClient(edge.actualPort())) {
      client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: edge\r\nAuthorization: Bearer " + TestEdge.SECRET
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");

      assertThat(client.awaitClosed(PATIENCE_MS)).isBetween(SHORT_MS - 100, PATIENCE_MS);
    }
  }

  @Test
  @DisplayName("an idle keep-alive connection is closed after the idle timeout, not before")
  void idleKeepAlive(Vertx vertx) {
    EdgeVerticle edge = TestEdge.start(vertx, shortTimeouts());
    try (RawClient client = new RawClient(edge.actualPort())) {
      assertThat(client.send(GET_404).readResponse(PATIENCE_MS)).startsWith("HTTP/1.1 404");
      assertThat(client.send(GET_404).readResponse(PATIENCE_MS)).as("still open right after a response")
          .startsWith("HTTP/1.1 404");

      assertThat(client.awaitClosed(PATIENCE_MS)).isBetween(SHORT_MS - 100, PATIENCE_MS);
    }
  }

  @Test
  @DisplayName("connection N+1 over the limit is closed unanswered; once one closes, a new one is served")
  void connectionLimit(Vertx vertx) {
    EdgeVerticle edge = TestEdge.start(vertx, EdgeOptions.defaults().withConnections(PATIENCE_MS * 3,
        PATIENCE_MS * 3, 2));
    try (RawClient first = new RawClient(edge.actualPort()); RawClient second = new RawClient(edge.actualPort())) {
      assertThat(first.send(GET_404).readResponse(PATIENCE_MS)).startsWith("HTTP/1.1 404");
      assertThat(second.send(GET_404).readResponse(PATIENCE_MS)).startsWith("HTTP/1.1 404");

      try (RawClient third = new RawClient(edge.actualPort())) {
        third.send(GET_404);
        assertThat(third.awaitClosed(PATIENCE_MS)).as("closed long before the idle timeout").isLessThan(PATIENCE_MS);
      }

      first.close();
      assertThat(servedWithin(edge.actualPort(), PATIENCE_MS)).as("a slot freed by a close is reusable").isTrue();
    }
  }

  /** The server notices a close asynchronously: retries a fresh connection until served or out of time. */
  private static boolean servedWithin(int port, long ms) {
    long deadline = System.nanoTime() + ms * 1_000_000;
    while (System.nanoTime() < deadline) {
      try (RawClient c = new RawClient(port)) {
        return c.send(GET_404).readResponse(ms).startsWith("HTTP/1.1 404");
      } catch (AssertionError | RuntimeException closedBeforeAnswer) {
        // refused: the slot was not free yet
      }
    }
    return false;
  }

  @Test
  @DisplayName("a streaming response that lasts longer than both timeouts, with gaps longer than the idle timeout, survives")
  void longStreamSurvives(Vertx vertx) {
    EdgeOptions options = EdgeOptions.defaults().withConnections(200, 200, 100);
    ConnectionGuard guard = new ConnectionGuard(vertx, options);
    // The guard is confined to one event loop, like an edge instance: server and sweep on one context.
    Context context = vertx.getOrCreateContext();
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext(v -> {
      guard.start(options);
      vertx.createHttpServer(ConnectionGuard.serverOptions())
        .connectionHandler(guard::onConnection)
        .requestHandler(guard.requests(req -> {
          HttpServerResponse response = req.response().setChunked(true)
              .putHeader("content-type", "text/event-stream");
          response.write("data: 0\n\n");
          for (int i = 1; i <= 4; i++) {
            int n = i;
            vertx.setTimer(300L * i, id -> {
              if (n < 4) {
                response.write("data: " + n + "\n\n");
              } else {
                response.end("data: [DONE]\n\n");
              }
            });
          }
        }))
        .listen(0, "127.0.0.1").onComplete(listening);
    });
    HttpServer server = TestEdge.await(listening.future());
    try (RawClient client = new RawClient(server.actualPort())) {
      client.send("GET /stream HTTP/1.1\r\nHost: edge\r\n\r\n");

      String body = client.readUntil("data: [DONE]\n\n\r\n0\r\n\r\n", PATIENCE_MS);

      assertThat(body).contains("data: 0", "data: 1", "data: 2", "data: 3");
      assertThat(client.awaitClosed(PATIENCE_MS)).as("idle again once the stream ended").isLessThan(PATIENCE_MS);
    }
  }
}
