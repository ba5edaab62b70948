package io.tollgate.traffic;

import io.tollgate.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis admission that survives Redis. While Redis answers within the timeout every call goes
 * there (exact). The first call that fails or times out flips this node to degraded: admissions
 * then go to the node's {@link LocalAdmission} (approximate, see there) or, fail-closed, are
 * refused with 503; settlements that cannot reach Redis are queued (bounded). A timer pings Redis;
 * once it answers, the queue is replayed in order and the node switches back by itself.
 *
 * <p>Nothing is lost silently: a Redis reservation whose admit timed out is queued for release
 * (a no-op in Redis if the admit never ran there), the usage of locally admitted requests is
 * replayed to Redis so quotas and budgets count it, and a full queue drops its oldest entry with
 * a warning and a count ({@link #droppedSettlements()}). A node that dies loses its queue.
 */
public final class ResilientAdmission implements Admission {

  private static final Logger LOG = LoggerFactory.getLogger(ResilientAdmission.class);
  private static final long PURGE_INTERVAL_MS = 60_000;
  /** The first connection of a cold JVM (TLS, class loading) may take far longer than a request. */
  private static final long START_TIMEOUT_MS = 5_000;

  private record Pending(Reservation reservation, Settlement settlement, RedisAdmission.Mode mode) {
  }

  private final Vertx vertx;
  private final RedisAdmission redis;
  private final LocalAdmission local;
  private final TrafficOptions options;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private final AtomicBoolean replaying = new AtomicBoolean();
  private final ConcurrentLinkedDeque<Pending> pending = new ConcurrentLinkedDeque<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final long purgeTimer;
  private volatile long probeTimer = -1;

  ResilientAdmission(Vertx vertx, RedisAdmission redis, TrafficOptions options) {
    this.vertx = vertx;
    this.redis = redis;
    this.local = new LocalAdmission(options.getKeyPrefix());
    this.options = options;
    this.purgeTimer = vertx.setPeriodic(PURGE_INTERVAL_MS,
        id -> local.purge(System.currentTimeMillis(), options.getReservationTtlMs()));
  }

  /** Loads the scripts; a failure only starts this node degraded. */
  public Future<Void> start() {
    return redis.warmUp().timeout(Math.max(START_TIMEOUT_MS, options.getRedisTimeoutMs()), TimeUnit.MILLISECONDS)
        .recover(err -> {
          markDegraded(err);
          return Future.succeededFuture();
        });
  }

  /** True while Redis is unreachable (or its backlog is being replayed): the {@code limits} health check. */
  public boolean degraded() {
    return degraded.get();
  }

  /** Settlements waiting for Redis. */
  public int pendingSettlements() {
    return pendingCount.get();
  }

  /** Settlements dropped because the queue was full while Redis was down. */
  public long droppedSettlements() {
    return dropped.get();
  }

  @Override
  public Future<Decision> admit(AdmissionRequest r) {
    if (degraded.get()) {
      return Future.succeededFuture(fallback(r));
    }
    return redis.admit(r).timeout(options.getRedisTimeoutMs(), TimeUnit.MILLISECONDS).recover(err -> {
      markDegraded(err);
      // The script may still have run in Redis; releasing it there is a no-op if it did not.
      enqueue(new Pending(new Reservation(r, Reservation.Origin.REDIS), Settlement.NONE, RedisAdmission.Mode.RELEASE));
      return Future.succeededFuture(fallback(r));
    });
  }

  @Override
  public Future<Void> settle(Reservation reservation, Settlement actual) {
    return apply(reservation, actual, false);
  }

  @Override
  public Future<Void> release(Reservation reservation) {
    return apply(reservation, Settlement.NONE, true);
  }

  /** Stops the timers. */
  public void close() {
    vertx.cancelTimer(purgeTimer);
    long probe = probeTimer;
    if (probe >= 0) {
      vertx.cancelTimer(probe);
    }
  }

  private Decision fallback(AdmissionRequest r) {
    if (options.isFailClosed()) {
      return Decision.refuse(new Decision.Refusal(null, null, ErrorCode.SERVICE_UNAVAILABLE,
          "rate limiting is unavailable", -1), null);
    }
    return local.admitNow(r);
  }

  private Future<Void> apply(Reservation reservation, Settlement actual, boolean release) {
    RedisAdmission.Mode mode;
    if (reservation.origin() == Reservation.Origin.LOCAL) {
      if (!local.apply(reservation, actual, release)) {
        return Future.succeededFuture();
      }
      // Redis never saw this request: add its real usage there once it is back.
      mode = RedisAdmission.Mode.LATE;
    } else {
      mode = release ? RedisAdmission.Mode.RELEASE : RedisAdmission.Mode.SETTLE;
    }
    Pending p = new Pending(reservation, actual, mode);
    if (degraded.get()) {
      enqueue(p);
      return Future.succeededFuture();
    }
    return send(p).<Void>mapEmpty().recover(err -> {
      markDegraded(err);
      enqueue(p);
      return Future.succeededFuture();
    });
  }

  private Future<Boolean> send(Pending p) {
    return redis.apply(p.reservation(), p.settlement(), p.mode())
        .timeout(options.getRedisTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  private void enqueue(Pending p) {
    pending.addLast(p);
    if (pendingCount.incrementAndGet() > options.getMaxPendingSettlements() && pending.pollFirst() != null) {
      pendingCount.decrementAndGet();
      long n = dropped.incrementAndGet();
      LOG.warn("settlement queue full ({} entries) while Redis is down: dropped the oldest, {} dropped so far",
          options.getMaxPendingSettlements(), n);
    }
  }

  private void markDegraded(Throwable cause) {
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("Redis unreachable ({}): limits are now local and approximate{}", cause.toString(),
          options.isFailClosed() ? " (fail-closed: refusing requests)" : "");
      probeTimer = vertx.setPeriodic(options.getProbeIntervalMs(), id -> probe());
    }
  }

  private void probe() {
    if (!replaying.compareAndSet(false, true)) {
      return;
    }
    redis.ping().timeout(options.getRedisTimeoutMs(), TimeUnit.MILLISECONDS)
        .compose(v -> replay())
        .compose(v -> {
          if (degraded.compareAndSet(true, false)) {
            vertx.cancelTimer(probeTimer);
            probeTimer = -1;
            LOG.info("Redis is back: limits are exact again");
          }
          // Settlements queued between the last replay and the switch.
          return replay();
        })
        .onComplete(ar -> {
          replaying.set(false);
          if (ar.failed()) {
            markDegraded(ar.cause());
          }
        });
  }

  /** Replays the queue in order, one at a time; stops (keeping the rest) at the first failure. */
  private Future<Void> replay() {
    Pending p = pending.peekFirst();
    if (p == null) {
      return Future.succeededFuture();
    }
    return send(p).compose(applied -> {
      if (pending.remove(p)) {
        pendingCount.decrementAndGet();
      }
      return replay();
    });
  }
}
