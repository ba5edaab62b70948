package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("Exact response cache: opt-in per model, per tenant, x-tollgate-cache hit|miss, hits free but counted")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseCacheEndToEndTest {

  static final String LIMITED_KEY = "tg-test-cache-rpm-000000000000000000000000";
  static final String OPTED_OUT_KEY = "tg-test-cache-out-000000000000000000000000";
  static final String OPTED_IN_KEY = "tg-test-cache-in-0000000000000000000000000";
  static final String STORED = "tollgate_cache_stores_total{cache=\"chat\",result=\"stored\"}";
  static final String ERRORS = "tollgate_cache_lookups_total{cache=\"chat\",result=\"error\"}";

  static Vertx vertx;
  static EmbeddedRedisServer redis;
  static FakeOpenAiUpstream upstream;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = EmbeddedRedisServer.start();
    upstream = FakeOpenAiUpstream.start(vertx, FakeOpenAiUpstream.Mode.STREAM);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: cached
            cache: {ttl_seconds: 60}
            deployments:
              - {id: cached-1, provider: openai, base_url: %1$s, api_key: "${UPSTREAM_KEY}",
                 input_price_per_mtok: 2.5, output_price_per_mtok: 10}
          - name: plain
            deployments:
              - {id: plain-1, provider: openai, base_url: %1$s, api_key: "${UPSTREAM_KEY}"}
        keys:
          - {name: test, secret: %2$s}
          - {name: limited, secret: %3$s, rpm: 2}
          - {name: opted-out, secret: %4$s, cache: {enabled: false}}
          - {name: opted-in, secret: %5$s, cache: {ttl_seconds: 30}}
        """.formatted(upstream.baseUrl(), TestGateway.KEY, LIMITED_KEY, OPTED_OUT_KEY, OPTED_IN_KEY)), Set.of(Role.values()), false, "unused",
        redis.url(), null, TestGateway.freshDataDir(), Map.of("UPSTREAM_KEY", FakeOpenAiUpstream.UPSTREAM_KEY,
            // A cold JVM on a shared test machine can take longer than the 20 ms default for its first
            // lookups (a miss, by design); the deadline itself is proven against a hung Redis in the edge's tests.
            "TOLLGATE_CACHE_LOOKUP_TIMEOUT_MS", "2000"));
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    vertx.close().await();
    redis.stop();
  }

  static ChatCompletionCreateParams ask(String text) {
    return ChatCompletionCreateParams.builder().model("cached").temperature(0.0).addUserMessage(text).build();
  }

  /** The value of a counter line in /metrics, 0 if absent. */
  static double metric(String line) {
    for (String l : TestGateway.metrics(gateway).split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1));
      }
    }
    return 0;
  }

  /** Runs a miss and waits until its answer is in Redis (stores are fire-and-forget, after the answer). */
  static com.openai.core.http.HttpResponseFor<ChatCompletion> missAndStore(OpenAIClient c, ChatCompletionCreateParams p)
      throws InterruptedException {
    double stored = metric(STORED);
    var miss = c.chat().completions().withRawResponse().create(p);
    assertThat(miss.headers().values("x-tollgate-cache")).containsExactly("miss");
    for (int i = 0; i < 100 && metric(STORED) <= stored; i++) {
      Thread.sleep(50);
    }
    assertThat(metric(STORED)).as("the answer stored within 5 s").isGreaterThan(stored);
    return miss;
  }

  @Test
  @Order(1)
  @DisplayName("the OpenAI SDK: a miss, then a hit with the same answer and usage, no upstream call, a zero-cost ledger row")
  void missThenHit() throws Exception {
    int calls = upstream.requests();
    var miss = missAndStore(client, ask("cache me"));
    var hit = client.chat().completions().withRawResponse().create(ask("cache me"));

    assertThat(hit.headers().values("x-tollgate-cache")).as("lookup errors so far: " + metric(ERRORS)
        + ", overhead " + hit.headers().values("x-tollgate-overhead-ms")).containsExactly("hit");
    assertThat(hit.headers().values("x-tollgate-route")).isEmpty();
    assertThat(upstream.requests()).isEqualTo(calls + 1);
    ChatCompletion first = miss.parse();
    ChatCompletion second = hit.parse();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.choices().get(0).message().content()).isEqualTo(first.choices().get(0).message().content())
        .hasValueSatisfying(t -> assertThat(t).contains("Hello!"));
    assertThat(second.choices().get(0).finishReason()).isEqualTo(first.choices().get(0).finishReason());
    assertThat(second.usage()).isEqualTo(first.usage());

    String missId = first.id().substring("chatcmpl-".length());
    String hitId = second.id().substring("chatcmpl-".length());
    Map<String, JsonObject> rows = LedgerChecks.awaitRecords(gateway, List.of(missId, hitId), 20);
    JsonObject paid = rows.get(missId);
    JsonObject free = rows.get(hitId);
    assertThat(paid.getBoolean("cache_hit")).isFalse();
    assertThat(new BigDecimal(paid.getString("cost_usd"))).isPositive();
    assertThat(free.getBoolean("cache_hit")).isTrue();
    assertThat(free.getString("status")).isEqualTo("ok");
    assertThat(free.getString("deployment_id")).isNull();
    assertThat(free.getLong("prompt_tokens")).isZero();
    assertThat(free.getLong("completion_tokens")).isZero();
    assertThat(new BigDecimal(free.getString("cost_usd"))).isZero();
  }

  @Test
  @Order(2)
  @DisplayName("a key of another tenant asking the very same question is a miss: tenants never share entries")
  void tenantsNeverShare() throws Exception {
    missAndStore(client, ask("shared question?"));
    assertThat(client.chat().completions().withRawResponse().create(ask("shared question?")).headers()
        .values("x-tollgate-cache")).containsExactly("hit");

    String tenant = TestGateway.admin(gateway, "POST", "/admin/v1/tenants", new JsonObject().put("name", "other"))
        .body().getString("id");
    String secret = TestGateway.admin(gateway, "POST", "/admin/v1/keys", new JsonObject().put("tenant_id", tenant)
        .put("name", "other-key")).body().getString("key");
    OpenAIClient other = TestGateway.openAi(gateway.httpPort(), secret);
    int calls = upstream.requests();
    var theirs = awaitKey(other, ask("shared question?"));

    assertThat(theirs.headers().values("x-tollgate-cache")).containsExactly("miss");
    assertThat(upstream.requests()).isEqualTo(calls + 1);
  }

  @Test
  @Order(3)
  @DisplayName("a temperature above the bound, a stream and a model without cache are never served from the cache")
  void notCached() throws Exception {
    int calls = upstream.requests();
    ChatCompletionCreateParams warm = ChatCompletionCreateParams.builder().model("cached").temperature(0.7)
        .addUserMessage("creative").build();
    for (int i = 0; i < 2; i++) {
      assertThat(client.chat().completions().withRawResponse().create(warm).headers().values("x-tollgate-cache"))
          .containsExactly("miss");
    }
    ChatCompletionCreateParams unset = ChatCompletionCreateParams.builder().model("cached")
        .addUserMessage("default temperature").build();
    for (int i = 0; i < 2; i++) {
      client.chat().completions().create(unset);
    }
    ChatCompletionCreateParams plain = ChatCompletionCreateParams.builder().model("plain").temperature(0.0)
        .addUserMessage("plain").build();
    for (int i = 0; i < 2; i++) {
      assertThat(client.chat().completions().withRawResponse().create(plain).headers().values("x-tollgate-cache"))
          .isEmpty();
    }
    missAndStore(client, ask("streamed later"));
    int before = upstream.requests();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ask("streamed later"))) {
      assertThat(stream.stream().count()).isPositive();
    }
    assertThat(upstream.requests()).isEqualTo(before + 1);
    assertThat(upstream.requests()).isEqualTo(calls + 8);
  }

  @Test
  @Order(4)
  @DisplayName("the Anthropic SDK: a miss then a hit on /v1/messages, not shared with OpenAI-format entries")
  void anthropicClient() throws Exception {
    AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.httpPort())
        .apiKey(TestGateway.KEY).maxRetries(0).build();
    MessageCreateParams params = MessageCreateParams.builder().model("cached").maxTokens(64)
        // This SDK version has no typed temperature; the wire field is what the gateway reads.
        .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0))
        .addUserMessage("cache me").build();
    int calls = upstream.requests();
    double stored = metric(STORED);
    HttpResponseFor<Message> miss = anthropic.messages().withRawResponse().create(params);
    assertThat(miss.headers().values("x-tollgate-cache")).containsExactly("miss");
    for (int i = 0; i < 100 && metric(STORED) <= stored; i++) {
      Thread.sleep(50);
    }
    HttpResponseFor<Message> hit = anthropic.messages().withRawResponse().create(params);

    assertThat(hit.headers().values("x-tollgate-cache")).containsExactly("hit");
    assertThat(upstream.requests()).isEqualTo(calls + 1);
    Message first = miss.parse();
    Message second = hit.parse();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.content()).isEqualTo(first.content());
    assertThat(second.stopReason()).isEqualTo(first.stopReason());
    assertThat(second.usage().outputTokens()).isEqualTo(first.usage().outputTokens());
  }

  @Test
  @Order(5)
  @DisplayName("hits still count against rpm: a key with rpm 2 is refused on its third request even if all would hit")
  void hitsAreRateLimited() throws Exception {
    OpenAIClient limited = TestGateway.openAi(gateway.httpPort(), LIMITED_KEY);
    ChatCompletionCreateParams p = ask("rate limited");
    missAndStore(limited, p);
    assertThat(limited.chat().completions().withRawResponse().create(p).headers().values("x-tollgate-cache"))
        .containsExactly("hit");

    assertThatThrownBy(() -> limited.chat().completions().create(p)).isInstanceOf(RateLimitException.class);
  }

  @Test
  @Order(6)
  @DisplayName("a key's cache block wins: one key opts out of the model's cache, another opts in a model without one")
  void keyOverrides() throws Exception {
    OpenAIClient out = TestGateway.openAi(gateway.httpPort(), OPTED_OUT_KEY);
    int calls = upstream.requests();
    for (int i = 0; i < 2; i++) {
      assertThat(out.chat().completions().withRawResponse().create(ask("cache me")).headers()
          .values("x-tollgate-cache")).isEmpty();
    }
    assertThat(upstream.requests()).isEqualTo(calls + 2);

    OpenAIClient in = TestGateway.openAi(gateway.httpPort(), OPTED_IN_KEY);
    ChatCompletionCreateParams plain = ChatCompletionCreateParams.builder().model("plain").temperature(0.0)
        .addUserMessage("plain but cached for this key").build();
    missAndStore(in, plain);
    assertThat(in.chat().completions().withRawResponse().create(plain).headers().values("x-tollgate-cache"))
        .containsExactly("hit");
    assertThat(upstream.requests()).isEqualTo(calls + 3);
  }

  @Test
  @Order(7)
  @DisplayName("with Redis stopped the request is still answered, as a miss, and the failed lookup is counted")
  void redisOutage() {
    double errors = metric(ERRORS);
    int calls = upstream.requests();
    redis.stop();

    var answer = client.chat().completions().withRawResponse().create(ask("cache me"));

    assertThat(answer.headers().values("x-tollgate-cache")).containsExactly("miss");
    assertThat(answer.parse().choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t)
        .contains("Hello!"));
    assertThat(upstream.requests()).isEqualTo(calls + 1);
    assertThat(metric(ERRORS)).isGreaterThan(errors);
  }

  /** A new key reaches the edge through the config feed: retry its 401 for a few seconds. */
  private static com.openai.core.http.HttpResponseFor<ChatCompletion> awaitKey(OpenAIClient c,
      ChatCompletionCreateParams p) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return c.chat().completions().withRawResponse().create(p);
      } catch (com.openai.errors.UnauthorizedException e) {
        assertThat(i).as("the new key known within 5 s").isLessThan(100);
        Thread.sleep(50);
      }
    }
  }
}
