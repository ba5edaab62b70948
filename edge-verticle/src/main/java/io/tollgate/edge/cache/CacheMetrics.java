package io.tollgate.edge.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tollgate_cache_lookups_total{cache,result}} (result: hit, miss, error — a Redis that
 * failed or missed the deadline, answered as a miss) and {@code tollgate_cache_stores_total{cache,result}}
 * (stored, too_large, dropped — too many stores in flight —, error). {@code cache} is
 * {@code chat} or {@code embeddings}; an embedding lookup counts once per input item.
 */
public final class CacheMetrics {

  /** Counts nothing (caches built without a registry). */
  public static final CacheMetrics NONE = new CacheMetrics(null);

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public CacheMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void lookup(String cache, String result, long n) {
    count("tollgate_cache_lookups_total", "Cache lookups by result (error: Redis failed or was too slow; a miss)",
        cache, result, n);
  }

  void store(String cache, String result) {
    count("tollgate_cache_stores_total", "Cache stores by result", cache, result, 1);
  }

  private void count(String name, String description, String cache, String result, long n) {
    if (registry == null || n == 0) {
      return;
    }
    counters.computeIfAbsent(name + '|' + cache + '|' + result, k -> Counter.builder(name).description(description)
        .tag("cache", cache).tag("result", result).register(registry)).increment(n);
  }
}
