package io.tollgate.edge.cache;

import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The embedding cache, per (tenant, model, input item): on by default for every embedding model
 * ({@code cache: {enabled: false}} on the model turns it off; {@code cache.ttl_seconds} overrides
 * the options' TTL). A batch is looked up in one round trip (MGET), so a request whose inputs are
 * partly cached sends only the others upstream, then {@link Lookup#merge}s. Like the response
 * cache, a failing or slow Redis is a miss and stores are fire-and-forget but bounded.
 *
 * <p>Items are identified by {@link #textItem} or {@link #tokensItem}; {@code variant} is
 * whatever besides model and input shapes a vector (e.g. {@code "dimensions=256"}; not the
 * {@code encoding_format}, which only changes how the same vector is written). Vectors are kept
 * as 64-bit floats, so what comes back is exactly what was stored.
 */
public final class EmbeddingCache {

  static final String NAME = "embeddings";

  /** No cache: every lookup is all misses, stores do nothing. */
  public static final EmbeddingCache NONE = new EmbeddingCache(null);

  private final RedisCache redis;

  private EmbeddingCache(RedisCache redis) {
    this.redis = redis;
  }

  public static EmbeddingCache create(Redis redis, CacheOptions options, CacheMetrics metrics) {
    return new EmbeddingCache(new RedisCache(redis, options, metrics));
  }

  /** What a lookup found: a vector per input item, null where it must be fetched upstream. */
  public record Lookup(List<double[]> vectors) {

    public Lookup {
      vectors = java.util.Collections.unmodifiableList(new ArrayList<>(vectors));
    }

    /** The positions (in the request's input order) that were not cached. */
    public List<Integer> misses() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < vectors.size(); i++) {
        if (vectors.get(i) == null) {
          out.add(i);
        }
      }
      return out;
    }

    /** Whether every item was cached (nothing to send upstream). */
    public boolean complete() {
      return vectors.stream().allMatch(v -> v != null);
    }

    /** The full answer: cached vectors, and {@code fetched[j]} for the j-th miss, in input order. */
    public List<double[]> merge(List<double[]> fetched) {
      List<Integer> misses = misses();
      if (fetched.size() != misses.size()) {
        throw new IllegalArgumentException("expected " + misses.size() + " fetched vectors, got " + fetched.size());
      }
      List<double[]> out = new ArrayList<>(vectors);
      for (int j = 0; j < misses.size(); j++) {
        out.set(misses.get(j), fetched.get(j));
      }
      return out;
    }
  }

  /** A text input's identity. */
  public static String textItem(String text) {
    return "s:" + text;
  }

  /** A token-array input's identity. */
  public static String tokensItem(List<Integer> tokens) {
    StringBuilder sb = new StringBuilder("t:");
    for (int i = 0; i < tokens.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(tokens.get(i));
    }
    return sb.toString();
  }

  /** Whether {@code model}'s embeddings are cached: always, unless its cache block says {@code enabled: false}. */
  public boolean enabledFor(ModelConfig model) {
    return redis != null && (model.cache() == null || model.cache().on());
  }

  /** The TTL of {@code model}'s entries. */
  public long ttlSeconds(ModelConfig model) {
    return model.cache() != null && model.cache().ttlSeconds() != null ? model.cache().ttlSeconds()
        : redis == null ? CacheOptions.DEFAULT_EMBEDDING_TTL_SECONDS : redis.options().embeddingTtlSeconds();
  }

  /** The cached vectors of {@code items}, in one round trip; all misses if disabled or Redis fails. */
  public Future<Lookup> lookup(String tenantId, ModelConfig model, String variant, List<String> items) {
    if (!enabledFor(model) || items.isEmpty()) {
      return Future.succeededFuture(new Lookup(Arrays.asList(new double[items.size()][])));
    }
    List<String> keys = keys(tenantId, model, variant, items);
    return redis.getAll(NAME, keys).map(values -> {
      List<double[]> vectors = new ArrayList<>(values.size());
      values.forEach(v -> vectors.add(v == null ? null : decode(v)));
      return new Lookup(vectors);
    });
  }

  /** Stores {@code vectors[i]} for {@code items[i]} (e.g. the misses once fetched); never fails. */
  public void store(String tenantId, ModelConfig model, String variant, List<String> items, List<double[]> vectors) {
    if (!enabledFor(model) || items.isEmpty()) {
      return;
    }
    if (items.size() != vectors.size()) {
      throw new IllegalArgumentException(items.size() + " items but " + vectors.size() + " vectors");
    }
    List<Buffer> values = new ArrayList<>(vectors.size());
    vectors.forEach(v -> values.add(encode(v)));
    redis.putAll(NAME, keys(tenantId, model, variant, items), values, ttlSeconds(model));
  }

  private List<String> keys(String tenantId, ModelConfig model, String variant, List<String> items) {
    List<String> keys = new ArrayList<>(items.size());
    for (String item : items) {
      keys.add(CacheKeys.embedding(redis.options().keyPrefix(), tenantId, model.name(), variant, item));
    }
    return keys;
  }

  static Buffer encode(double[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asDoubleBuffer().put(vector);
    return Buffer.buffer(bytes.array());
  }

  /** The vector, or null (a miss) if the entry is not a whole number of doubles. */
  static double[] decode(Buffer value) {
    byte[] raw = value.getBytes();
    if (raw.length % Double.BYTES != 0) {
      return null;
    }
    double[] out = new double[raw.length / Double.BYTES];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
    return out;
  }
}
