package io.tollgate.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Response cache: keys, eligibility, a round trip in a real Redis, and a Redis that hangs")
class ResponseCacheTest {

  static EmbeddedRedisServer server;
  static Vertx vertx;
  static Redis redis;
  SimpleMeterRegistry registry;
  ResponseCache cache;

  static final ModelConfig CACHED = model(new CacheConfig(null, 60L, null));

  @BeforeAll
  static void startRedis() {
    server = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    redis = CacheRedis.client(vertx, server.url());
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
    vertx.close().await();
    server.stop();
  }

  @BeforeEach
  void fresh() {
    redis.send(Request.cmd(Command.FLUSHALL)).await();
    registry = new SimpleMeterRegistry();
    cache = ResponseCache.create(redis, CacheOptions.DEFAULTS, new CacheMetrics(registry));
  }

  static ModelConfig model(CacheConfig cacheConfig) {
    return new ModelConfig("gpt", null, null, null, List.of(new DeploymentConfig("d", "openai",
        "http://127.0.0.1:1/v1", null, "gpt-4o-mini", null, null, null, null, null, null, null)), null, null,
        cacheConfig);
  }

  static ChatRequest.Builder ask(String text) {
    return ChatRequest.builder("gpt", List.of(ChatMessage.of(Role.USER, text))).temperature(0.0);
  }

  @Test
  @DisplayName("stream, include_usage and user do not change the key; temperature, model, dialect, metadata and tenant do")
  void canonicalKey() {
    ChatRequest base = ask("hello").metadata(Map.of("a", "1", "b", "2")).build();
    String key = CacheKeys.chat("p:", "tn_a", base);

    assertThat(CacheKeys.chat("p:", "tn_a", base.toBuilder().stream(true).includeUsage(true).user("bob").build()))
        .isEqualTo(key);
    // Maps are written sorted: the same metadata built in another order is the same request.
    assertThat(CacheKeys.chat("p:", "tn_a", base.toBuilder().metadata(new java.util.LinkedHashMap<>(
        Map.of("b", "2", "a", "1"))).build())).isEqualTo(key);
    assertThat(CacheKeys.chat("p:", "tn_b", base)).isNotEqualTo(key).startsWith("p:chat:tn_b:");
    assertThat(CacheKeys.chat("p:", "tn_a", base.toBuilder().temperature(0.1).build())).isNotEqualTo(key);
    assertThat(CacheKeys.chat("p:", "tn_a", base.toBuilder().model("gpt-alias").build())).isNotEqualTo(key);
    assertThat(CacheKeys.chat("p:", "tn_a", base.toBuilder().dialect(Dialect.ANTHROPIC).build())).isNotEqualTo(key);
    assertThat(CacheKeys.chat("p:", "tn_a", base.toBuilder().metadata(Map.of("a", "1")).build())).isNotEqualTo(key);
    assertThat(CacheKeys.chat("p:", "tn_a", ask("hello!").metadata(Map.of("a", "1", "b", "2")).build()))
        .isNotEqualTo(key);
  }

  @Test
  @DisplayName("only opted-in models or keys, non-streaming single-choice requests at or under the temperature bound")
  void eligibility() {
    ApiKey plainKey = key(null);
    CacheConfig on = cache.settings(CACHED, plainKey);
    assertThat(cache.settings(model(null), plainKey)).isNull();
    assertThat(cache.settings(model(new CacheConfig(false, null, null)), plainKey)).isNull();
    assertThat(cache.eligible(on, ask("x").build())).isTrue();
    assertThat(cache.eligible(on, ask("x").temperature(0.01).build())).isFalse();
    // Unset temperature is sampled at the providers' default 1.0, over the default bound of 0.
    assertThat(cache.eligible(on, ask("x").temperature(null).build())).isFalse();
    assertThat(cache.eligible(on, ask("x").stream(true).build())).isFalse();
    assertThat(cache.eligible(on, ask("x").n(2).build())).isFalse();
    CacheConfig warm = cache.settings(model(new CacheConfig(null, null, 1.0)), plainKey);
    assertThat(cache.eligible(warm, ask("x").temperature(null).build())).isTrue();
    assertThat(cache.eligible(warm, ask("x").temperature(1.2).build())).isFalse();
    assertThat(ResponseCache.NONE.settings(CACHED, plainKey)).isNull();
  }

  @Test
  @DisplayName("a key's cache block opts in a model without one, opts out of one, or overrides its fields")
  void keyOverride() {
    assertThat(cache.settings(model(null), key(new CacheConfig(null, 30L, null))).chatTtlSeconds()).isEqualTo(30);
    assertThat(cache.settings(CACHED, key(new CacheConfig(false, null, null)))).isNull();
    CacheConfig merged = cache.settings(CACHED, key(new CacheConfig(null, null, 0.5)));
    assertThat(merged.chatTtlSeconds()).isEqualTo(60);
    assertThat(merged.temperatureBound()).isEqualTo(0.5);
  }

  static ApiKey key(CacheConfig cacheConfig) {
    return new ApiKey("key_1", "tn_a", "k", "hash", null, true, null, null, null, 1, cacheConfig);
  }

  @Test
  @DisplayName("a recorded answer is stored with the model's TTL and replays to the same body with the new request's id")
  void roundTrip() {
    ChatRequest chat = ask("hello").build();
    var recorded = new java.util.concurrent.CompletableFuture<CachedAnswer>();
    var writer = ResponseCache.recording(OpenAiChatFormat.INSTANCE, recorded::complete).answer("first", chat);
    writer.add(List.of(new ChoiceDelta(0, "assistant", null, null, null)));
    writer.add(List.of(ChoiceDelta.text(0, "Hel")));
    writer.add(List.of(ChoiceDelta.text(0, "lo")));
    writer.add(List.of(ChoiceDelta.finish(0, FinishReason.STOP)));
    Usage usage = new Usage(9, 2, 0, 0, false);
    JsonObject original = writer.whole(usage).toJsonObject();
    CachedAnswer answer = recorded.getNow(null);
    assertThat(answer.events()).hasSize(3); // the two text pieces joined

    cache.store("tn_a", chat, CACHED.cache(), answer);
    CachedAnswer found = awaitFound("tn_a", chat);
    JsonObject replayed = ResponseCache.replay(OpenAiChatFormat.INSTANCE, "second", chat, found).toJsonObject();

    assertThat(replayed.getString("id")).isNotEqualTo(original.getString("id")).contains("second");
    assertThat(replayed.getJsonArray("choices")).isEqualTo(original.getJsonArray("choices"));
    assertThat(replayed.getJsonObject("usage")).isEqualTo(original.getJsonObject("usage"));
    assertThat(cache.lookup("tn_b", chat).await()).isNull();
    String key = CacheKeys.chat(CacheOptions.DEFAULT_KEY_PREFIX, "tn_a", chat);
    assertThat(redis.send(Request.cmd(Command.PTTL).arg(key)).await().toLong()).isBetween(50_000L, 60_000L);
  }

  @Test
  @DisplayName("an answer larger than max_entry_bytes is not stored (and counted)")
  void sizeCap() {
    ResponseCache small = ResponseCache.create(redis, CacheOptions.DEFAULTS.withMaxEntryBytes(64),
        new CacheMetrics(registry));
    ChatRequest chat = ask("big").build();
    small.store("tn_a", chat, CACHED.cache(), new CachedAnswer(List.of(List.of(ChoiceDelta.text(0, "x".repeat(100)))), null));

    assertThat(CacheRedis.count(registry, "tollgate_cache_stores_total", "chat", "too_large")).isEqualTo(1);
    assertThat(redis.send(Request.cmd(Command.DBSIZE)).await().toLong()).isZero();
  }

  @Test
  @DisplayName("a Redis that accepts but never answers costs a lookup its deadline, then a miss; stores stay bounded")
  void hungRedis() throws Exception {
    try (CacheRedis.Hung hung = new CacheRedis.Hung()) {
      Redis slow = CacheRedis.client(vertx, hung.url());
      CacheOptions options = CacheOptions.DEFAULTS.withLookupTimeoutMs(50).withMaxStoresInFlight(1);
      ResponseCache stuck = ResponseCache.create(slow, options, new CacheMetrics(registry));
      ChatRequest chat = ask("anyone?").build();

      long start = System.nanoTime();
      assertThat(stuck.lookup("tn_a", chat).await()).isNull();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(ms).isBetween(50L, 1_000L);
      assertThat(CacheRedis.count(registry, "tollgate_cache_lookups_total", "chat", "error")).isEqualTo(1);
      CachedAnswer answer = new CachedAnswer(List.of(List.of(ChoiceDelta.text(0, "hi"))), null);
      stuck.store("tn_a", chat, CACHED.cache(), answer);
      stuck.store("tn_a", chat, CACHED.cache(), answer);
      assertThat(CacheRedis.count(registry, "tollgate_cache_stores_total", "chat", "dropped")).isEqualTo(1);
      slow.close();
    }
  }

  private CachedAnswer awaitFound(String tenant, ChatRequest chat) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      CachedAnswer found = cache.lookup(tenant, chat).await();
      if (found != null) {
        return found;
      }
      assertThat(System.nanoTime()).as("stored within 5 s").isLessThan(deadline);
    }
  }
}
