package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Metrics: after real traffic through the OpenAI SDK, /metrics has the gateway's names and labels")
class MetricsTest {

  static Tollgate gateway;
  static OpenAIClient client;
  static OpenAIClient limited;
  static final String LIMITED_KEY = "tg-metrics-limited-key-0123456789abcdef";

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: metered
            deployments:
              - {id: metered-mock, provider: mock, mock: {tokens: 5}, input_price_per_mtok: 1, output_price_per_mtok: 2}
          - name: slow
            deployments:
              - {id: slow-mock, provider: mock, mock: {tokens: 40, chunk_delay_ms: 50}}
        keys:
          - name: test
            secret: %s
          - name: limited
            secret: %s
            rpm: 1
        """.formatted(TestGateway.KEY, LIMITED_KEY)), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false,
        "unused", null);
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
    limited = TestGateway.openAi(gateway.httpPort(), LIMITED_KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
  }

  private static ChatCompletionCreateParams.Builder ask() {
    return ChatCompletionCreateParams.builder().model("metered").addUserMessage("count me");
  }

  @Test
  @DisplayName("requests, tokens by type, cost, TTFT, upstream latency, overhead, refusals, breakers and in-flight answers")
  void namesAndLabels() {
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask().build());
    assertThat(raw.headers().values("x-tollgate-overhead-ms")).as("every answer says the gateway's overhead")
        .singleElement().satisfies(v -> assertThat(Double.parseDouble(v)).isGreaterThanOrEqualTo(0));
    raw.parse();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(c -> { });
    }
    assertThatThrownBy(() -> client.chat().completions().create(ask().model("no-such-model").build()))
        .isInstanceOf(NotFoundException.class);
    limited.chat().completions().create(ask().build());
    assertThatThrownBy(() -> limited.chat().completions().create(ask().build()))
        .isInstanceOf(RateLimitException.class);

    String labels = "deployment=\"metered-mock\",model=\"metered\"";
    TestGateway.awaitMetric(gateway, "tollgate_requests_total{" + labels + ",status=\"ok\"} 3.0", 10_000);
    String metrics = TestGateway.metrics(gateway);
    assertThat(metrics)
        .contains("tollgate_requests_total{deployment=\"none\",model=\"none\",status=\"client_error\"} 1.0")
        .contains("tollgate_requests_total{deployment=\"none\",model=\"metered\",status=\"client_error\"} 1.0")
        .contains("tollgate_tokens_total{" + labels + ",type=\"completion\"} 15.0")
        .contains("tollgate_tokens_total{" + labels + ",type=\"prompt\"}")
        .contains("tollgate_cost_usd_total{" + labels + "}")
        .contains("tollgate_time_to_first_token_seconds_bucket{" + labels + ",le=\"0.1\"}")
        .contains("tollgate_time_to_first_token_seconds_count{" + labels + "} 3")
        .contains("tollgate_upstream_latency_seconds_count{" + labels + "} 3")
        .contains("tollgate_upstream_attempts_total{" + labels + ",status=\"ok\"} 3.0")
        .contains("tollgate_overhead_seconds_count{route=\"/v1/chat/completions\"}")
        .contains("tollgate_ratelimit_refusals_total{limit=\"rpm\"} 1.0")
        .contains("tollgate_inflight_streams 0.0")
        .contains("tollgate_usage_outbox_depth")
        .contains("tollgate_queue_depth{scope=\"key\"} 0.0")
        .contains("tollgate_queue_depth{scope=\"deployment\"} 0.0");
    assertThat(metrics).as("no key, tenant or request ids as labels")
        .doesNotContain("key_id=").doesNotContain("tenant_id=").doesNotContain("tenant=").doesNotContain("request_id")
        .doesNotContain("no-such-model");
    TestGateway.awaitMetric(gateway, "tollgate_breaker_state{deployment=\"metered-mock\"} 0.0", 15_000);
    assertThat(TestGateway.metrics(gateway)).contains("tollgate_ready 1.0");
    for (String exported : AlertRulesTest.EXPORTED) {
      if (!exported.equals("tollgate_config_reloads_total")) {
        assertThat(TestGateway.metrics(gateway)).as("exported: " + exported).contains(exported);
      }
    }
  }

  @Test
  @DisplayName("tollgate_inflight_streams counts the answers being written: 2 while two streams run, 0 after")
  void inflightStreams() throws Exception {
    java.util.List<java.util.concurrent.CompletableFuture<Void>> streams = new java.util.ArrayList<>();
    java.util.concurrent.CountDownLatch firstChunks = new java.util.concurrent.CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      streams.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
            ChatCompletionCreateParams.builder().model("slow").addUserMessage("take your time").build())) {
          boolean[] first = {true};
          s.stream().forEach(c -> {
            if (first[0]) {
              first[0] = false;
              firstChunks.countDown();
            }
          });
        }
      }));
    }
    assertThat(firstChunks.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // Each stream runs about 2 s (40 tokens, 50 ms apart): both are still open here.
    assertThat(TestGateway.metrics(gateway)).contains("tollgate_inflight_streams 2.0");
    java.util.concurrent.CompletableFuture.allOf(streams.toArray(java.util.concurrent.CompletableFuture[]::new))
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
    TestGateway.awaitMetric(gateway, "tollgate_inflight_streams 0.0", 10_000);
  }
}
