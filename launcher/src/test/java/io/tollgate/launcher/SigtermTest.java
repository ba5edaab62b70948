package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.store.EmbeddedPg;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real signal: a whole gateway in its own JVM gets SIGTERM while 20 streams are open. Unlike
 * {@link GracefulShutdownTest}, which calls the drain directly, this goes through the JVM's shutdown
 * hook as an orchestrator's stop does. The ledger is in this test's PostgreSQL, so it outlives the node.
 */
@DisplayName("SIGTERM to a running node: readiness drops, new requests are refused, 20 open streams finish and are billed")
class SigtermTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  @DisplayName("all 20 streams complete, readiness is 503 and a new request is refused during the drain, all 20 in the ledger")
  void sigtermDrains() throws Exception {
    // 60 tokens 50 ms apart: each stream runs about 3 s, so the drain has something to wait for.
    Path config = TestGateway.writeConfig("""
        models:
          - name: slow
            deployments:
              - {id: slow-mock, provider: mock, mock: {tokens: 60, chunk_delay_ms: 50}}
        keys:
          - {name: test, secret: %s}
        """.formatted(TestGateway.KEY));
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    int http = freePort();
    int mgmt = freePort();
    Vertx checks = Vertx.vertx();
    NodeProcess node = NodeProcess.start("sigterm", List.of("--config", config.toString()), Map.of(
        "TOLLGATE_HTTP_PORT", Integer.toString(http), "TOLLGATE_MGMT_PORT", Integer.toString(mgmt),
        "TOLLGATE_ADMIN_PORT", Integer.toString(freePort()), "TOLLGATE_PG_URL", postgres.uri(),
        "TOLLGATE_ADMIN_TOKEN", TestGateway.ADMIN_TOKEN, "TOLLGATE_DATA_DIR", TestGateway.freshDataDir().toString(),
        "TOLLGATE_DRAIN_SECONDS", "30"));
    try {
      node.awaitStarted(120);
      awaitReady(mgmt);
      List<String> ids = new ArrayList<>();
      List<CompletableFuture<String>> bodies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        HttpResponse<java.util.stream.Stream<String>> head = HTTP.sendAsync(chat(http, true),
            HttpResponse.BodyHandlers.ofLines()).get(20, TimeUnit.SECONDS);
        assertThat(head.statusCode()).isEqualTo(200);
        ids.add(head.headers().firstValue("x-request-id").orElseThrow());
        bodies.add(CompletableFuture.supplyAsync(() -> head.body().collect(Collectors.joining("\n"))));
      }

      node.terminate();

      assertThat(awaitStatus(mgmt, 503)).as("readiness soon after SIGTERM, while streams still run").isTrue();
      assertThat(bodies).as("the streams are still running: the drain is waiting for them").anyMatch(b -> !b.isDone());
      // A new request: refused with 503 while the node drains (or, once it closed, not connected at all).
      try {
        HttpResponse<String> refused = HTTP.send(chat(http, false), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("shutting down");
      } catch (IOException closedAlready) {
        // The node finished draining and closed its port first: also not accepted.
      }
      for (CompletableFuture<String> body : bodies) {
        assertThat(body.get(60, TimeUnit.SECONDS).strip()).as("a stream open when SIGTERM came")
            .contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]");
      }
      assertThat(node.exitCode(60)).as("the node exits after its drain").isNotNull();

      // The drain waited for billing's acknowledgement: every stream is in the ledger once the node is gone.
      Pool pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(postgres.uri())).using(checks).build();
      long billed = pg.preparedQuery("SELECT count(DISTINCT request_id) FROM usage_ledger WHERE request_id = ANY($1) "
              + "AND status = 'ok'").execute(Tuple.of(ids.toArray(String[]::new))).await().iterator().next().getLong(0);
      assertThat(billed).isEqualTo(20);
    } finally {
      node.close();
      checks.close().await();
      postgres.close();
    }
  }

  private static HttpRequest chat(int port, boolean stream) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"slow\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  private static void awaitReady(int mgmt) throws Exception {
    assertThat(awaitStatus(mgmt, 200)).as("the node became ready").isTrue();
  }

  /** Polls readiness until it answers {@code status}; false after 20 s. */
  private static boolean awaitStatus(int mgmt, int status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        int got = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmt + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (got == status) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening (yet or any more)
      }
      Thread.sleep(20);
    }
    return false;
  }
}
