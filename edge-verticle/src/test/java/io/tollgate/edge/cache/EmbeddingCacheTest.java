package io.tollgate.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Embedding cache: per tenant, model and input item, in a real Redis")
class EmbeddingCacheTest {

  static EmbeddedRedisServer server;
  static Vertx vertx;
  static Redis redis;
  SimpleMeterRegistry registry;
  EmbeddingCache cache;

  static final ModelConfig MODEL = model("embed", null);

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
    cache = EmbeddingCache.create(redis, CacheOptions.DEFAULTS, new CacheMetrics(registry));
  }

  static ModelConfig model(String name, CacheConfig cache) {
    return new ModelConfig(name, null, null, null,
        List.of(new DeploymentConfig("d-" + name, "openai", "http://127.0.0.1:1/v1", null, "text-embedding-3-small",
            null, null, null, null, null, null, null)),
        null, null, cache);
  }

  static List<String> items(String... texts) {
    return java.util.Arrays.stream(texts).map(EmbeddingCache::textItem).toList();
  }

  /** Stores and waits until Redis has it (stores are fire-and-forget). */
  void storeAndWait(String tenant, ModelConfig model, String variant, List<String> items, List<double[]> vectors) {
    double before = CacheRedis.count(registry, "tollgate_cache_stores_total", "embeddings", "stored");
    cache.store(tenant, model, variant, items, vectors);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (CacheRedis.count(registry, "tollgate_cache_stores_total", "embeddings", "stored") == before) {
      assertThat(System.nanoTime()).as("store acknowledged within 5 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  @DisplayName("a batch with 3 of 5 inputs cached finds those 3 in one lookup and merges the 2 fetched in input order")
  void partialBatch() {
    double[] a = {0.1, -0.25, 1e-9};
    double[] c = {0.5, 0.5, 0.5};
    double[] e = {Math.PI, -0.0, 7};
    storeAndWait("tn_a", MODEL, "", items("alpha", "gamma", "epsilon"), List.of(a, c, e));

    EmbeddingCache.Lookup found = cache.lookup("tn_a", MODEL, "",
        items("alpha", "beta", "gamma", "delta", "epsilon")).await();

    assertThat(found.misses()).containsExactly(1, 3);
    assertThat(found.complete()).isFalse();
    assertThat(found.vectors().get(0)).containsExactly(a);
    assertThat(found.vectors().get(2)).containsExactly(c);
    assertThat(found.vectors().get(4)).containsExactly(e);
    double[] b = {2};
    double[] d = {4};
    List<double[]> merged = found.merge(List.of(b, d));
    assertThat(merged).containsExactly(a, b, c, d, e);
    assertThat(CacheRedis.count(registry, "tollgate_cache_lookups_total", "embeddings", "hit")).isEqualTo(3);
    assertThat(CacheRedis.count(registry, "tollgate_cache_lookups_total", "embeddings", "miss")).isEqualTo(2);
  }

  @Test
  @DisplayName("two tenants embedding the same text never see each other's entries")
  void tenantsIsolated() {
    storeAndWait("tn_a", MODEL, "", items("secret text"), List.<double[]>of(new double[] {1, 2, 3}));

    assertThat(cache.lookup("tn_b", MODEL, "", items("secret text")).await().misses()).containsExactly(0);
    assertThat(cache.lookup("tn_a", MODEL, "", items("secret text")).await().complete()).isTrue();
    assertThat(CacheRedis.count(registry, "tollgate_cache_lookups_total", "embeddings", "error")).isZero();
  }

  @Test
  @DisplayName("the model, the variant (dimensions) and text vs tokens each make a different entry")
  void keyParts() {
    storeAndWait("tn_a", MODEL, "dimensions=3", items("x"), List.<double[]>of(new double[] {1, 2, 3}));

    assertThat(cache.lookup("tn_a", MODEL, "dimensions=3", items("x")).await().complete()).isTrue();
    assertThat(cache.lookup("tn_a", MODEL, "", items("x")).await().complete()).isFalse();
    assertThat(cache.lookup("tn_a", model("other", null), "dimensions=3", items("x")).await().complete()).isFalse();
    assertThat(cache.lookup("tn_a", MODEL, "dimensions=3", List.of(EmbeddingCache.tokensItem(List.of(120))))
        .await().complete()).isFalse();
  }

  @Test
  @DisplayName("entries expire after the model's ttl_seconds, else after the default day")
  void ttl() {
    storeAndWait("tn_a", MODEL, "", items("default ttl"), List.<double[]>of(new double[] {1}));
    ModelConfig shortLived = model("short", new CacheConfig(null, 7L, null));
    storeAndWait("tn_a", shortLived, "", items("short ttl"), List.<double[]>of(new double[] {1}));

    List<String> keys = redis.send(Request.cmd(Command.KEYS).arg(CacheOptions.DEFAULT_KEY_PREFIX + "emb:tn_a:*"))
        .await().stream().map(Object::toString).toList();
    assertThat(keys).hasSize(2);
    List<Long> ttls = keys.stream().map(k -> redis.send(Request.cmd(Command.PTTL).arg(k)).await().toLong()).sorted()
        .toList();
    assertThat(ttls.get(0)).isBetween(1L, 7_000L);
    assertThat(ttls.get(1)).isBetween(86_000_000L, 86_400_000L);
  }

  @Test
  @DisplayName("a model with cache enabled: false neither stores nor finds")
  void disabled() {
    ModelConfig off = model("off", new CacheConfig(false, null, null));
    cache.store("tn_a", off, "", items("x"), List.<double[]>of(new double[] {1}));
    storeAndWait("tn_a", MODEL, "", items("flush"), List.<double[]>of(new double[] {1}));

    assertThat(cache.enabledFor(off)).isFalse();
    assertThat(redis.send(Request.cmd(Command.DBSIZE)).await().toLong()).isEqualTo(1);
    assertThat(cache.lookup("tn_a", off, "", items("x")).await().misses()).containsExactly(0);
  }

  @Test
  @DisplayName("with no Redis listening (port 1) every item is a miss, quickly, and the error is counted")
  void redisDown() {
    Redis nowhere = CacheRedis.client(vertx, "redis://127.0.0.1:1");
    EmbeddingCache down = EmbeddingCache.create(nowhere, CacheOptions.DEFAULTS, new CacheMetrics(registry));
    long start = System.nanoTime();

    EmbeddingCache.Lookup found = down.lookup("tn_a", MODEL, "", items("a", "b")).await();

    assertThat(found.misses()).containsExactly(0, 1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
    assertThat(CacheRedis.count(registry, "tollgate_cache_lookups_total", "embeddings", "error")).isEqualTo(2);
    nowhere.close();
  }
}
