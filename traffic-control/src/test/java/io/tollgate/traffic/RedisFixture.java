package io.tollgate.traffic;

import io.tollgate.api.keys.Limits;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers shared by the Redis-backed tests. */
final class RedisFixture {

  static final long WAIT_S = 10;

  private RedisFixture() {
  }

  static Redis client(Vertx vertx, EmbeddedRedisServer server, TrafficOptions options) {
    RedisOptions redis = new TrafficOptions(options.toJson()).setRedisUrl(server.url()).toRedisOptions();
    return Redis.createClient(vertx, redis);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  static String get(Redis redis, String key) {
    Response r = await(redis.send(Request.cmd(Command.GET).arg(key)));
    return r == null ? null : r.toString();
  }

  static long zcard(Redis redis, String key) {
    return await(redis.send(Request.cmd(Command.ZCARD).arg(key))).toLong();
  }

  static String hget(Redis redis, String key, String field) {
    Response r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field)));
    return r == null ? null : r.toString();
  }

  static long hlen(Redis redis, String key) {
    return await(redis.send(Request.cmd(Command.HLEN).arg(key))).toLong();
  }

  /** The running total of a rpm/tpm window (null: the window is empty). */
  static String windowTotal(Redis redis, String key) {
    return hget(redis, key, "t");
  }

  /** The start of the current one-second bucket: tests add offsets to land where they mean to. */
  static long bucketStart() {
    long now = System.currentTimeMillis();
    return now - now % Plan.BUCKET_MS;
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  static AdmissionRequest request(String keyId, Limits key, long tokens, BigDecimal cost, long now) {
    return new AdmissionRequest(id(), keyId, null, key, null, null, tokens, cost, now);
  }

  /** Completes when the condition holds, checking every 20 ms; fails after {@code timeoutMs}. */
  static Future<Void> eventually(Vertx vertx, long timeoutMs, BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      } else if (System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        done.tryFail("condition not met within " + timeoutMs + " ms");
      }
    });
    return done.future();
  }
}
