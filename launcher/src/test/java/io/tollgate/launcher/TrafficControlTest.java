package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.api.Addresses;
import io.tollgate.api.bus.Outcome;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Traffic control end to end: token limits, budgets, settlement and queues on a real Redis")
class TrafficControlTest {

  static final String TPM_KEY = "tg-test-tpm-1000-000000000000000000000000";
  static final String BUDGET_KEY = "tg-test-budget-001-0000000000000000000000";
  static final String CANCEL_KEY = "tg-test-cancel-0000000000000000000000000";
  static final String QUEUE_KEY = "tg-test-queue-00000000000000000000000000";

  static EmbeddedRedisServer redisServer;
  static Vertx vertx;
  static Redis redis;
  static Tollgate gateway;
  static final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    redisServer = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, redisServer.url());
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: mock-300
            deployments:
              - {id: m300, provider: mock, mock: {tokens: 300}}
          - name: priced
            deployments:
              - {id: priced-1, provider: mock, mock: {tokens: 100}, output_price_per_mtok: 30}
          - name: slow
            deployments:
              - {id: slow-1, provider: mock, mock: {tokens: 400, chunk_delay_ms: 20}}
          - name: slow-limited
            deployments:
              - id: slow-limited-1
                provider: mock
                mock: {tokens: 40, chunk_delay_ms: 50}
                concurrency: {max_concurrent: 2, max_queue: 2, max_wait_ms: 600}
        keys:
          - {name: tpm, secret: %s, tpm: 1000}
          - {name: budget, secret: %s, budget_usd: {total: 0.01}}
          - {name: cancel, secret: %s, tpm: 100000}
          - {name: queue, secret: %s}
        """.formatted(TPM_KEY, BUDGET_KEY, CANCEL_KEY, QUEUE_KEY)),
        Set.of(Role.values()), false, "unused", redisServer.url());
    gateway.vertx().eventBus().<Outcome>consumer(Addresses.OUTCOMES, m -> outcomes.add(m.body()))
        .completion().await();
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    vertx.close().await();
    redisServer.stop();
  }

  @Test
  @DisplayName("1,000 tokens/minute and streams of ~300 tokens: the fourth is refused before the upstream, "
      + "and after settlement Redis holds exactly the real usage")
  void tokensPerMinute() throws Exception {
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), TPM_KEY);
    long real = 0;
    for (int i = 0; i < 3; i++) {
      real += streamUsage(client, "mock-300", 300);
    }
    assertThat(awaitOutcomes("m300", 3)).isEqualTo(3);
    assertThatThrownBy(() -> streamUsage(client, "mock-300", 300))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.code()).hasValue("rate_limit_exceeded");
          assertThat(e.headers().values("retry-after")).isNotEmpty();
          assertThat(e.headers().values("x-ratelimit-limit-tokens")).containsExactly("1000");
        });
    assertThat(outcomes.stream().filter(o -> o.deploymentId().equals("m300"))).hasSize(3);
    assertThat(awaitWindowTotal("tg:tpm:w:k:" + TestGateway.keyId(gateway, "tpm"), real)).isEqualTo(real);
  }

  @Test
  @DisplayName("a cancelled stream is settled with the tokens produced before the cancel")
  void cancelledStreamSettled() throws Exception {
    HttpClientAgent http = vertx.createHttpClient();
    CompletableFuture<Void> hungUp = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.httpPort())
            .setURI("/v1/chat/completions").putHeader("authorization", "Bearer " + CANCEL_KEY))
        .compose(req -> req.send("{\"model\":\"slow\",\"stream\":true,\"max_tokens\":400,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"count slowly\"}]}"))
        .onSuccess(resp -> resp.handler(chunk -> {
          if (!hungUp.isDone() && chunk.toString().contains("data: {")) {
            resp.request().connection().close();
            hungUp.complete(null);
          }
        }));
    hungUp.get(10, TimeUnit.SECONDS);
    Outcome cancelled = awaitOutcome("slow-1");
    assertThat(cancelled.status()).isEqualTo(Outcome.Status.CANCELLED);
    long produced = cancelled.usage().totalTokens();
    assertThat(cancelled.usage().completionTokens()).isBetween(1L, 399L);
    assertThat(awaitWindowTotal("tg:tpm:w:k:" + TestGateway.keyId(gateway, "cancel"), produced)).isEqualTo(produced);
    http.close();
  }

  @Test
  @DisplayName("a $0.01 budget on a priced deployment stops at the fourth $0.003 request with insufficient_quota")
  void budget() {
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), BUDGET_KEY);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("priced")
        .addUserMessage("hi").maxCompletionTokens(100).build();
    for (int i = 0; i < 3; i++) {
      assertThat(client.chat().completions().create(params).usage().get().completionTokens()).isEqualTo(100);
    }
    assertThatThrownBy(() -> client.chat().completions().create(params))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.code()).hasValue("insufficient_quota");
          assertThat(e.getMessage()).contains("budget");
        });
  }

  @Test
  @DisplayName("with concurrency 2 and queue 2, one more request is refused at once and the queued ones "
      + "give up after max_wait_ms")
  void deploymentQueue() throws Exception {
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), QUEUE_KEY);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("slow-limited")
        .addUserMessage("wait your turn").build();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      // Two streams that hold the two slots for ~2 s; their first chunk proves they are running.
      List<CompletableFuture<Void>> running = List.of(new CompletableFuture<>(), new CompletableFuture<>());
      List<Future<Long>> holders = new java.util.ArrayList<>();
      for (CompletableFuture<Void> started : running) {
        holders.add(pool.submit(() -> {
          try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            return s.stream().peek(c -> started.complete(null)).count();
          }
        }));
      }
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

      List<Future<Long>> extra = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        extra.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          try {
            client.chat().completions().create(params);
            return -1L;
          } catch (OpenAIServiceException e) {
            assertThat(e.statusCode()).isEqualTo(503);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          }
        }));
      }
      List<Long> refusedAfter = new java.util.ArrayList<>();
      for (Future<Long> f : extra) {
        refusedAfter.add(f.get(10, TimeUnit.SECONDS));
      }
      refusedAfter.sort(Long::compare);
      assertThat(refusedAfter.get(0)).isBetween(0L, 400L);
      assertThat(refusedAfter.get(1)).isBetween(600L, 1_900L);
      assertThat(refusedAfter.get(2)).isBetween(600L, 1_900L);
      for (Future<Long> h : holders) {
        assertThat(h.get(10, TimeUnit.SECONDS)).isGreaterThan(40);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static long streamUsage(OpenAIClient client, String model, int maxTokens) {
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(model).addUserMessage("write a long answer")
            .maxCompletionTokens(maxTokens)
            .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                .includeUsage(true).build())
            .build())) {
      return s.stream().filter(c -> c.usage().isPresent()).mapToLong(c -> c.usage().get().totalTokens()).sum();
    }
  }

  /** Outcomes are published after the END chunk went out, so they may trail the client a little. */
  private static long awaitOutcomes(String deploymentId, long count) throws InterruptedException {
    long seen = 0;
    for (int i = 0; i < 100 && seen < count; i++) {
      seen = outcomes.stream().filter(o -> o.deploymentId().equals(deploymentId)).count();
      if (seen < count) {
        Thread.sleep(20);
      }
    }
    return seen;
  }

  private static Outcome awaitOutcome(String deploymentId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      for (Outcome o : outcomes) {
        if (o.deploymentId().equals(deploymentId)) {
          return o;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no outcome for " + deploymentId);
  }

  /**
   * Settlement happens after the response: poll the running total of a rpm/tpm window (a HASH of
   * one-second buckets, field {@code t}) until it reaches the value (or give up).
   */
  static long awaitWindowTotal(String key, long expected) throws InterruptedException {
    long value = -1;
    for (int i = 0; i < 100 && value != expected; i++) {
      Response r = redis.send(Request.cmd(Command.HGET).arg(key).arg("t")).await();
      value = r == null ? 0 : r.toLong();
      if (value != expected) {
        Thread.sleep(50);
      }
    }
    return value;
  }
}
