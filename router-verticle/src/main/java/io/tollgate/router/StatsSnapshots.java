package io.tollgate.router;

import io.tollgate.api.codec.Wire;
import io.tollgate.router.policy.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The routing statistics snapshot in Redis: one JSON value, written at most once per interval by
 * whichever router instance takes that interval's writer lock ({@code SET NX PX}), read once by a
 * router when it starts. Off the hot path: routers never read it while routing.
 */
final class StatsSnapshots {

  static final String KEY = "tollgate:routing:snapshot";
  static final String WRITER_LOCK = KEY + ":writer";
  /** A snapshot older than a day has decayed to nothing under any sensible half-life: let Redis drop it. */
  static final long TTL_MS = 86_400_000;
  /** How long a starting router waits for the snapshot before it starts cold. */
  static final long LOAD_TIMEOUT_MS = 3_000;

  private final Redis redis;
  private final long intervalMs;

  StatsSnapshots(Vertx vertx, String url, long intervalMs) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    this.intervalMs = intervalMs;
  }

  /** The stored snapshot, or null if there is none. */
  Future<RoutingSnapshot> load() {
    return redis.send(Request.cmd(Command.GET).arg(KEY))
        .timeout(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(r -> r == null ? null : parse(r));
  }

  /** Writes the snapshot if no router did in this interval; true if this one wrote it. */
  Future<Boolean> save(RoutingSnapshot snapshot, String writerId) {
    String json;
    try {
      json = Wire.MAPPER.writeValueAsString(snapshot);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return redis.send(Request.cmd(Command.SET).arg(WRITER_LOCK).arg(writerId).arg("NX").arg("PX").arg(intervalMs))
        .compose(locked -> locked == null ? Future.succeededFuture(false)
            : redis.send(Request.cmd(Command.SET).arg(KEY).arg(json).arg("PX").arg(TTL_MS)).map(ok -> true))
        .timeout(intervalMs, TimeUnit.MILLISECONDS);
  }

  Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }

  private static RoutingSnapshot parse(Response r) {
    try {
      return Wire.MAPPER.readValue(r.toString(), RoutingSnapshot.class);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable routing snapshot: " + e.getMessage(), e);
    }
  }
}
