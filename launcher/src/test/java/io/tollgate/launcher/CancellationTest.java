package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.bus.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A client that disconnects mid-stream stops the upstream call")
class CancellationTest {

  static Vertx clients;
  static FakeOpenAiUpstream slow;
  static FakeOpenAiUpstream flood;
  static Tollgate gateway;

  @BeforeAll
  static void start() {
    clients = Vertx.vertx();
    slow = FakeOpenAiUpstream.start(clients, FakeOpenAiUpstream.Mode.SLOW_STREAM);
    flood = FakeOpenAiUpstream.start(clients, FakeOpenAiUpstream.Mode.FLOOD);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: slow
            deployments:
              - {id: slow-1, provider: openai, base_url: %s}
          - name: slow-mock
            deployments:
              - {id: slow-mock-1, provider: mock, mock: {tokens: 400, chunk_delay_ms: 20}}
          - name: flood
            deployments:
              - {id: flood-1, provider: openai, base_url: %s, timeouts: {idle_ms: 500}}
        """.formatted(slow.baseUrl(), flood.baseUrl())));
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    clients.close().await();
  }

  @Test
  @DisplayName("the upstream sees its connection closed within a second and the outcome says cancelled, with tokens so far")
  void upstreamClosedWithinASecond() throws Exception {
    CompletableFuture<Outcome> outcome = outcomeOf("slow-1");
    long closedByClient = streamAndHangUp("slow");
    long upstreamClosed = slow.closedAt.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(upstreamClosed - closedByClient)).isLessThan(1_000);
    Outcome o = outcome.get(5, TimeUnit.SECONDS);
    assertThat(o.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(o.usage().completionTokens()).isGreaterThanOrEqualTo(1);
    assertThat(o.usage().completionTokens()).isLessThan(400);
  }

  @Test
  @DisplayName("a cancelled mock stream also stops, reporting the tokens it produced")
  void mockCancelled() throws Exception {
    CompletableFuture<Outcome> outcome = outcomeOf("slow-mock-1");
    streamAndHangUp("slow-mock");
    Outcome o = outcome.get(5, TimeUnit.SECONDS);
    assertThat(o.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(o.usage().completionTokens()).isBetween(1L, 399L);
    assertThat(o.latencyMillis()).isLessThan(400 * 20);
  }

  @Test
  @DisplayName("a streamed legacy completion cancelled by its client stops the same way, reporting the tokens it produced")
  void legacyCompletionCancelled() throws Exception {
    CompletableFuture<Outcome> outcome = outcomeOf("slow-mock-1");
    streamAndHangUp("/v1/completions", "{\"model\":\"slow-mock\",\"stream\":true,\"prompt\":\"go\"}");
    Outcome o = outcome.get(5, TimeUnit.SECONDS);
    assertThat(o.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(o.usage().completionTokens()).isBetween(1L, 399L);
    assertThat(o.latencyMillis()).isLessThan(400 * 20);
  }

  @Test
  @DisplayName("a client that stops reading is treated as gone once its socket stays full: the upstream stops")
  void stalledClient() throws Exception {
    CompletableFuture<Outcome> outcome = outcomeOf("flood-1");
    HttpClientAgent http = clients.createHttpClient();
    CompletableFuture<Void> paused = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.httpPort())
            .setURI("/v1/chat/completions").putHeader("authorization", "Bearer " + TestGateway.KEY))
        .compose(req -> req.send("{\"model\":\"flood\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"everything\"}]}"))
        .onSuccess(resp -> {
          // Read nothing more, but keep the connection open.
          resp.pause();
          paused.complete(null);
        });
    paused.get(10, TimeUnit.SECONDS);
    // The edge gives up after the deployment's idle time (0.5 s) plus its margin (5 s) of a full socket.
    flood.closedAt.get(30, TimeUnit.SECONDS);
    Outcome o = outcome.get(10, TimeUnit.SECONDS);
    assertThat(o.status()).isEqualTo(Outcome.Status.CANCELLED);
    http.close();
  }

  private static CompletableFuture<Outcome> outcomeOf(String deploymentId) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    var consumer = gateway.vertx().eventBus().<Outcome>consumer(Addresses.OUTCOMES, m -> {
      if (m.body().deploymentId().equals(deploymentId)) {
        outcome.complete(m.body());
      }
    });
    consumer.completion().await();
    outcome.whenComplete((o, e) -> consumer.unregister());
    return outcome;
  }

  /** Streams a chat, waits for the first chunk, closes the connection; returns when it closed. */
  private static long streamAndHangUp(String model) throws Exception {
    return streamAndHangUp("/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
  }

  private static long streamAndHangUp(String path, String body) throws Exception {
    HttpClientAgent http = clients.createHttpClient();
    CompletableFuture<Long> closed = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.httpPort())
            .setURI(path).putHeader("authorization", "Bearer " + TestGateway.KEY)
            .putHeader("content-type", "application/json"))
        .compose(req -> req.send(body))
        .onSuccess((HttpClientResponse resp) -> resp.handler(chunk -> {
          if (!closed.isDone() && chunk.toString().contains("data: {")) {
            long now = System.nanoTime();
            resp.request().connection().close();
            closed.complete(now);
          }
        }))
        .onFailure(closed::completeExceptionally);
    long at = closed.get(10, TimeUnit.SECONDS);
    http.close();
    return at;
  }
}
