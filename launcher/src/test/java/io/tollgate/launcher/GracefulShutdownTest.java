package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Graceful shutdown: readiness drops at once, new requests are refused, open streams finish")
class GracefulShutdownTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Tollgate node;

  @AfterEach
  void close() {
    if (node != null) {
      node.close().await();
    }
  }

  private void start(int tokens) {
    node = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: slow
            deployments:
              - {id: slow-mock, provider: mock, mock: {tokens: %d, chunk_delay_ms: 50}}
        """.formatted(tokens)), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null);
  }

  private HttpRequest chat(boolean stream) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"slow\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  /** Sends a streaming request; completes with its whole body once the head arrived and the stream ended. */
  private CompletableFuture<CompletableFuture<String>> openStream() {
    return HTTP.sendAsync(chat(true), HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      return CompletableFuture.supplyAsync(() -> response.body().collect(Collectors.joining("\n")));
    });
  }

  private int readiness() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.mgmtPort() + "/health/ready"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  @DisplayName("20 open streams all complete after drain starts; readiness is 503 and a new request gets 503 at once")
  void twentyStreamsFinish() throws Exception {
    start(20); // 20 tokens, 50 ms apart: each stream runs about a second
    assertThat(TestGateway.awaitReady(node)).isEqualTo(200);
    List<CompletableFuture<String>> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bodies.add(openStream().get(10, TimeUnit.SECONDS)); // every stream's head is out before the drain
    }

    var drained = node.drain(Duration.ofSeconds(30)).toCompletionStage().toCompletableFuture();

    assertThat(readiness()).as("readiness during the drain").isEqualTo(503);
    HttpResponse<String> refused = HTTP.send(chat(false), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("service_unavailable").contains("shutting down");
    for (CompletableFuture<String> body : bodies) {
      String text = body.get(20, TimeUnit.SECONDS).strip();
      assertThat(text).as("a stream that was open when the drain began").contains("\"finish_reason\":\"stop\"")
          .endsWith("data: [DONE]");
    }
    drained.get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("with billing and audit in the node: when the drain ends, all 20 streams are in the ledger already")
  void drainedStreamsAreBilled() throws Exception {
    node = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: slow
            deployments:
              - {id: slow-mock, provider: mock, mock: {tokens: 20, chunk_delay_ms: 50}}
        """));
    assertThat(TestGateway.awaitReady(node)).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    List<CompletableFuture<String>> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<java.util.stream.Stream<String>> head = HTTP.sendAsync(chat(true), HttpResponse.BodyHandlers.ofLines())
          .get(10, TimeUnit.SECONDS);
      ids.add(head.headers().firstValue("x-request-id").orElseThrow());
      bodies.add(CompletableFuture.supplyAsync(() -> head.body().collect(Collectors.joining("\n"))));
    }

    node.drain(Duration.ofSeconds(30)).toCompletionStage().toCompletableFuture().get(35, TimeUnit.SECONDS);

    for (CompletableFuture<String> body : bodies) {
      assertThat(body.get(5, TimeUnit.SECONDS)).contains("data: [DONE]");
    }
    // Billing acknowledges a batch only once it is committed: no waiting here.
    for (String id : ids) {
      TestGateway.AdminResponse r = TestGateway.admin(node, "GET", "/admin/v1/requests/" + id, null);
      assertThat(r.status()).as("ledger record of " + id + " right after the drain").isEqualTo(200);
      assertThat(r.body().getString("status")).isEqualTo("ok");
    }
  }

  @Test
  @DisplayName("the drain ends at its deadline even when a stream is still open")
  void deadlineBoundsTheDrain() throws Exception {
    start(400); // about 20 s of tokens
    assertThat(TestGateway.awaitReady(node)).isEqualTo(200);
    CompletableFuture<String> body = openStream().get(10, TimeUnit.SECONDS);
    TestGateway.awaitMetric(node, "tollgate_ready 1.0", 10_000);

    node.drain(Duration.ofMillis(300)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(body).as("the long stream is still open when the drain gives up").isNotDone();
    TestGateway.awaitMetric(node, "tollgate_ready 0.0", 2 * Management.READY_GAUGE_PERIOD_MS + 1_000);
  }
}
