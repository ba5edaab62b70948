package io.tollgate.traffic;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Admission against Redis: exact across every node that shares the Redis. One EVALSHA per admit
 * and one per settle; no locks, no blocking. Fails (rather than falls back) when Redis does: wrap
 * it in {@link ResilientAdmission} for that.
 */
public final class RedisAdmission implements Admission {

  private static final LuaScript ADMIT = LuaScript.resource("window.lua", "admit.lua");
  private static final LuaScript SETTLE = LuaScript.resource("window.lua", "settle.lua");
  private static final LuaScript SWEEP = LuaScript.resource("window.lua", "sweep.lua");
  private static final String WINDOW_MS = Long.toString(Plan.WINDOW_MS);
  private static final String BUCKET_MS = Long.toString(Plan.BUCKET_MS);
  /** What admit.lua answers when the request was settled or released before its admit arrived. */
  private static final int ALREADY_SETTLED = 2;

  /** How settle.lua should treat a settlement. */
  enum Mode { SETTLE, RELEASE, LATE }

  private final Redis redis;
  private final String prefix;
  private final long reservationTtlMs;
  private final LongSupplier clock;

  RedisAdmission(Redis redis, TrafficOptions options) {
    this(redis, options, System::currentTimeMillis);
  }

  /** @param clock epoch millis of settlements (an admission carries its own time); tests move it */
  RedisAdmission(Redis redis, TrafficOptions options, LongSupplier clock) {
    this.redis = redis;
    this.prefix = options.getKeyPrefix();
    this.reservationTtlMs = options.getReservationTtlMs();
    this.clock = clock;
  }

  /** Loads the scripts and checks the connection; optional, saves the first requests a NOSCRIPT. */
  public Future<Void> warmUp() {
    return ADMIT.load(redis).compose(v -> SETTLE.load(redis)).compose(v -> SWEEP.load(redis));
  }

  /** What one sweep batch did. */
  record Swept(int released, int examined) {
  }

  /**
   * Gives back up to {@code batch} reservations whose deadline (admission time plus
   * {@link TrafficOptions#getReservationTtlMs()}) is at or before {@code nowMs} and that nobody
   * settled: one atomic script, so any number of nodes may sweep at once.
   */
  Future<Swept> sweep(long nowMs, int batch) {
    return SWEEP.run(redis, List.of(Plan.openIndex(prefix)),
            List.of(Long.toString(nowMs), Integer.toString(batch), Plan.marker(prefix, ""), WINDOW_MS, BUCKET_MS))
        .map(res -> new Swept(res.get(0).toInteger(), res.get(1).toInteger()));
  }

  /** A PING: whether Redis answers at all. */
  Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public Future<Decision> admit(AdmissionRequest r) {
    List<Plan.Check> checks = Plan.checks(r, prefix);
    if (checks.isEmpty()) {
      return Future.succeededFuture(Decision.admit(new Reservation(r, Reservation.Origin.REDIS), null));
    }
    List<String> keys = new ArrayList<>(2 + checks.size());
    List<String> args = new ArrayList<>(8 + 4 * checks.size());
    keys.add(Plan.marker(prefix, r.requestId()));
    args.add(Long.toString(r.nowMs()));
    args.add(r.requestId());
    args.add(WINDOW_MS);
    args.add(BUCKET_MS);
    // The marker outlives the deadline so that a sweep delayed by up to a whole lifetime (every
    // edge node down) still finds what to give back.
    args.add(Long.toString(2 * reservationTtlMs));
    args.add(Integer.toString(checks.size()));
    args.add(Long.toString(r.nowMs() + reservationTtlMs));
    args.add(marker(r.nowMs(), checks));
    for (Plan.Check c : checks) {
      keys.add(c.key());
      args.add(c.type().code);
      args.add(Long.toString(c.limit()));
      args.add(Long.toString(c.amount()));
      args.add(Long.toString(c.ttlMs()));
    }
    keys.add(Plan.openIndex(prefix));
    return ADMIT.run(redis, keys, args).map(res -> {
      if (res.get(0).toInteger() == ALREADY_SETTLED) {
        return Decision.refuse(Plan.alreadySettled(r), null);
      }
      long[] used = new long[checks.size()];
      long[] reset = new long[checks.size()];
      for (int i = 0; i < checks.size(); i++) {
        used[i] = res.get(3 + 2 * i).toLong();
        reset[i] = res.get(4 + 2 * i).toLong();
      }
      int failed = res.get(1).toInteger() - 1;
      return Plan.decide(r, checks, Reservation.Origin.REDIS, failed, res.get(2).toLong(), used, reset);
    });
  }

  /**
   * What admit.lua stores in the marker of an admitted request, for sweep.lua to give it back
   * without the request: its bucket, then per check {@code " " type amount " " length key}, the
   * length in UTF-8 bytes (Lua's) so that any key parses. Built here rather than in the script,
   * where string building costs Redis CPU.
   */
  static String marker(long nowMs, List<Plan.Check> checks) {
    StringBuilder m = new StringBuilder(16 + 64 * checks.size()).append(Math.floorDiv(nowMs, Plan.BUCKET_MS));
    for (Plan.Check c : checks) {
      m.append(' ').append(c.type().code).append(c.amount()).append(' ').append(utf8Length(c.key())).append(' ')
          .append(c.key());
    }
    return m.toString();
  }

  private static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        bytes += 1;
      } else if (ch < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(ch)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  @Override
  public Future<Void> settle(Reservation reservation, Settlement actual) {
    return apply(reservation, actual, Mode.SETTLE).mapEmpty();
  }

  @Override
  public Future<Void> release(Reservation reservation) {
    return apply(reservation, Settlement.NONE, Mode.RELEASE).mapEmpty();
  }

  /**
   * Applies a settlement. {@link Mode#LATE} adds the usage of a request that was admitted by a
   * local limiter while Redis was down. Succeeds with false if it had already been applied. A
   * settlement that finds no reservation (its admit has not reached Redis yet, or the sweeper gave
   * it back) adds the real usage instead and leaves a tombstone that the admit respects.
   */
  Future<Boolean> apply(Reservation reservation, Settlement actual, Mode mode) {
    AdmissionRequest r = reservation.request();
    List<Plan.Check> checks = Plan.checks(r, prefix);
    if (checks.isEmpty()) {
      return Future.succeededFuture(false);
    }
    List<String> keys = new ArrayList<>(2 + checks.size());
    List<String> args = new ArrayList<>(8 + 5 * checks.size());
    keys.add(mode == Mode.LATE ? Plan.lateMarker(prefix, r.requestId()) : Plan.marker(prefix, r.requestId()));
    args.add(Long.toString(clock.getAsLong()));
    args.add(r.requestId());
    args.add(WINDOW_MS);
    args.add(BUCKET_MS);
    args.add(mode.name().toLowerCase());
    args.add(Long.toString(reservationTtlMs));
    args.add(Long.toString(r.nowMs()));
    args.add(Integer.toString(checks.size()));
    for (Plan.Check c : checks) {
      long reserved = mode == Mode.LATE ? 0 : c.amount();
      long used = c.actual(actual);
      keys.add(c.key());
      args.add(c.type().code);
      args.add(Long.toString(reserved));
      args.add(Long.toString(used));
      args.add(Long.toString(used - reserved));
      args.add(Long.toString(c.ttlMs()));
    }
    keys.add(Plan.openIndex(prefix));
    return SETTLE.run(redis, keys, args).map(Response::toInteger).map(applied -> applied != 0);
  }
}
