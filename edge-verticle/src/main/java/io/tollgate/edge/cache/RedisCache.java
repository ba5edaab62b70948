package io.tollgate.edge.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis half shared by the caches: a lookup is one round trip (GET, or MGET for several keys)
 * under a deadline, and any failure or lateness is a miss, never an error for the request; a
 * store is fire-and-forget (SET with PX) but bounded in number and time. Thread-safe: the client
 * completes its futures on its own contexts, so callers hop back to their loop themselves.
 */
final class RedisCache {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);

  private final Redis redis;
  private final CacheOptions options;
  private final CacheMetrics metrics;
  private final AtomicInteger storesInFlight = new AtomicInteger();

  RedisCache(Redis redis, CacheOptions options, CacheMetrics metrics) {
    this.redis = redis;
    this.options = options;
    this.metrics = metrics;
  }

  CacheOptions options() {
    return options;
  }

  CacheMetrics metrics() {
    return metrics;
  }

  /** The values of {@code keys} (null where absent); on failure or past the deadline all null. */
  Future<List<Buffer>> getAll(String cache, List<String> keys) {
    Request request;
    if (keys.size() == 1) {
      request = Request.cmd(Command.GET).arg(keys.get(0));
    } else {
      request = Request.cmd(Command.MGET);
      keys.forEach(request::arg);
    }
    return redis.send(request)
        .timeout(options.lookupTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(response -> {
          List<Buffer> found = values(response, keys.size());
          long hits = found.stream().filter(v -> v != null).count();
          metrics.lookup(cache, "hit", hits);
          metrics.lookup(cache, "miss", keys.size() - hits);
          return found;
        })
        .otherwise(e -> {
          metrics.lookup(cache, "error", keys.size());
          LOG.debug("cache lookup failed, answered as a miss: {}", e.toString());
          List<Buffer> none = Arrays.asList(new Buffer[keys.size()]);
          return none;
        });
  }

  private static List<Buffer> values(Response response, int n) {
    List<Buffer> out = new ArrayList<>(n);
    if (n == 1) {
      out.add(response == null ? null : response.toBuffer());
      return out;
    }
    for (int i = 0; i < n; i++) {
      Response r = response == null ? null : response.get(i);
      out.add(r == null ? null : r.toBuffer());
    }
    return out;
  }

  /**
   * Stores {@code values[i]} under {@code keys[i]} for {@code ttlSeconds}, in one round trip,
   * unless too many stores are already waiting. Never fails: the outcome is counted.
   */
  void putAll(String cache, List<String> keys, List<Buffer> values, long ttlSeconds) {
    List<Request> sets = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      Buffer value = values.get(i);
      if (value.length() > options.maxEntryBytes()) {
        metrics.store(cache, "too_large");
        continue;
      }
      sets.add(Request.cmd(Command.SET).arg(keys.get(i)).arg(value).arg("PX").arg(ttlSeconds * 1_000));
    }
    if (sets.isEmpty()) {
      return;
    }
    if (storesInFlight.incrementAndGet() > options.maxStoresInFlight()) {
      storesInFlight.decrementAndGet();
      metrics.store(cache, "dropped");
      return;
    }
    Future<?> sent = sets.size() == 1 ? redis.send(sets.get(0)) : redis.batch(sets);
    sent.timeout(options.storeTimeoutMs(), TimeUnit.MILLISECONDS).onComplete(ar -> {
      storesInFlight.decrementAndGet();
      if (ar.succeeded()) {
        metrics.store(cache, "stored");
      } else {
        metrics.store(cache, "error");
        LOG.debug("cache store failed: {}", ar.cause().toString());
      }
    });
  }

  /** Stores waiting for Redis now (for tests and a gauge). */
  int storesInFlight() {
    return storesInFlight.get();
  }
}
