package io.tollgate.launcher;

import io.tollgate.edge.cache.CacheOptions;
import java.util.function.Function;

/**
 * The edge caches' knobs from the environment, read once at start:
 * {@code TOLLGATE_CACHE_LOOKUP_TIMEOUT_MS} (20: the most a lookup adds before it counts as a
 * miss; raise it for a Redis farther away than the same zone), {@code TOLLGATE_CACHE_MAX_ENTRY_BYTES}
 * (1048576) and {@code TOLLGATE_CACHE_EMBEDDING_TTL_SECONDS} (86400, for embedding models without
 * {@code cache.ttl_seconds}).
 */
final class CacheSettings {

  private CacheSettings() {
  }

  static CacheOptions options(Function<String, String> env) {
    CacheOptions d = CacheOptions.DEFAULTS;
    return new CacheOptions(d.keyPrefix(),
        positive(env, "TOLLGATE_CACHE_LOOKUP_TIMEOUT_MS", d.lookupTimeoutMs()),
        d.storeTimeoutMs(), d.maxStoresInFlight(),
        (int) Math.min(Integer.MAX_VALUE, positive(env, "TOLLGATE_CACHE_MAX_ENTRY_BYTES", d.maxEntryBytes())),
        positive(env, "TOLLGATE_CACHE_EMBEDDING_TTL_SECONDS", d.embeddingTtlSeconds()));
  }

  private static long positive(Function<String, String> env, String name, long dflt) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number above 0, got '" + v + "'");
    }
  }
}
