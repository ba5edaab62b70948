package io.tollgate.edge.cache;

/**
 * How the edge's caches use Redis. Every value has a named default; the launcher builds one per
 * node and shares it with every edge instance.
 *
 * @param keyPrefix           prefix of every cache key (one Redis may serve several gateways)
 * @param lookupTimeoutMs     the most a lookup may add to a request: past it the lookup is a miss
 * @param storeTimeoutMs      how long a store may take before it is given up (and counted)
 * @param maxStoresInFlight   stores waiting for Redis at once per node; more are dropped (and counted),
 *                            so a slow Redis cannot make the edge hold answers without bound
 * @param maxEntryBytes       the largest value stored; a bigger answer is simply not cached
 * @param embeddingTtlSeconds how long an embedding stays cached when its model does not say
 */
public record CacheOptions(String keyPrefix, long lookupTimeoutMs, long storeTimeoutMs, int maxStoresInFlight,
                           int maxEntryBytes, long embeddingTtlSeconds) {

  public static final String DEFAULT_KEY_PREFIX = "tg:cache:";
  /** A Redis next to the gateway answers in well under a millisecond; 20 ms caps a slow one's harm. */
  public static final long DEFAULT_LOOKUP_TIMEOUT_MS = 20;
  public static final long DEFAULT_STORE_TIMEOUT_MS = 1_000;
  public static final int DEFAULT_MAX_STORES_IN_FLIGHT = 256;
  /** 1 MiB: far above a typical chat answer, far below what would strain Redis's memory per entry. */
  public static final int DEFAULT_MAX_ENTRY_BYTES = 1 << 20;
  /** A day: an embedding of the same text by the same model does not change. */
  public static final long DEFAULT_EMBEDDING_TTL_SECONDS = 86_400;

  public static final CacheOptions DEFAULTS = new CacheOptions(DEFAULT_KEY_PREFIX, DEFAULT_LOOKUP_TIMEOUT_MS,
      DEFAULT_STORE_TIMEOUT_MS, DEFAULT_MAX_STORES_IN_FLIGHT, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_EMBEDDING_TTL_SECONDS);

  public CacheOptions {
    if (keyPrefix == null) {
      keyPrefix = DEFAULT_KEY_PREFIX;
    }
    if (lookupTimeoutMs < 1 || storeTimeoutMs < 1 || maxStoresInFlight < 1 || maxEntryBytes < 1
        || embeddingTtlSeconds < 1) {
      throw new IllegalArgumentException("cache options must be positive");
    }
  }

  public CacheOptions withLookupTimeoutMs(long ms) {
    return new CacheOptions(keyPrefix, ms, storeTimeoutMs, maxStoresInFlight, maxEntryBytes, embeddingTtlSeconds);
  }

  public CacheOptions withMaxEntryBytes(int bytes) {
    return new CacheOptions(keyPrefix, lookupTimeoutMs, storeTimeoutMs, maxStoresInFlight, bytes, embeddingTtlSeconds);
  }

  public CacheOptions withMaxStoresInFlight(int stores) {
    return new CacheOptions(keyPrefix, lookupTimeoutMs, storeTimeoutMs, stores, maxEntryBytes, embeddingTtlSeconds);
  }
}
