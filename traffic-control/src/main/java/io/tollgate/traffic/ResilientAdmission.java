package io.tollgate.traffic;

import io.tollgate.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis admission that survives Redis. While Redis answers within the timeout every call goes
 * there (exact). A call that fails or times out is served by the local limiter, and
 * {@link #FAILURES_TO_DEGRADE} of them in a row (one hiccup, a GC pause or a cold JVM's first
 * connections, must not make a node's limits approximate) flip this node to degraded: admissions
 * then go to the node's {@link LocalAdmission} (approximate, see there) or, fail-closed, are
 * refused with 503; settlements that cannot reach Redis are queued (bounded). A timer pings Redis;
 * once it answers, the queue is replayed in order and the node switches back by itself.
 *
 * <p>Nothing is lost silently: a Redis reservation whose admit timed out is queued for release,
 * which leaves a tombstone in Redis, so the admit, if it is still on its way and arrives after the
 * release, reserves nothing (see settle.lua); the usage of locally admitted requests is
 * replayed to Redis so quotas and budgets count it, and a full queue drops its oldest entry with
 * a warning and a count ({@link #droppedSettlements()}). A node that dies loses its queue; the
 * {@link ReservationSweeper} that runs on every node gives its reservations back once they are
 * older than {@link TrafficOptions#getReservationTtlMs()}.
 */
public final class ResilientAdmission implements Admission {

  private static final Logger LOG = LoggerFactory.getLogger(ResilientAdmission.class);
  private static final long PURGE_INTERVAL_MS = 60_000;
  /** The first connection of a cold JVM (TLS, class loading) may take far longer than a request. */
  private static final long START_TIMEOUT_MS = 5_000;
  /** Consecutive failed Redis calls that switch the node to local limits. */
  static final int FAILURES_TO_DEGRADE = 3;
  /** Queued settlements replayed at once; the next batch starts on a fresh stack. */
  private static final int REPLAY_BATCH = 256;

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
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final long purgeTimer;
  private final ReservationSweeper sweeper;
  private volatile long probeTimer = -1;

  ResilientAdmission(Vertx vertx, RedisAdmission redis, TrafficOptions options) {
    this(vertx, redis, options, System::currentTimeMillis);
  }

  /** With the clock the sweeper judges reservations' age by (tests move it). */
  ResilientAdmission(Vertx vertx, RedisAdmission redis, TrafficOptions options, LongSupplier clock) {
    this.vertx = vertx;
    this.redis = redis;
    this.local = new LocalAdmission(options.getKeyPrefix());
    this.options = options;
    this.purgeTimer = vertx.setPeriodic(PURGE_INTERVAL_MS,
        id -> local.purge(System.currentTimeMillis(), options.getReservationTtlMs()));
    this.sweeper = new ReservationSweeper(vertx, redis, options, clock, degraded::get);
  }

  /** Loads the scripts and starts the sweeper; a failure only starts this node degraded. */
  public Future<Void> start() {
    sweeper.start();
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

  /** Reservations nobody settled that this node's sweeper gave back (a crashed node's, say). */
  public long releasedReservations() {
    return sweeper.released();
  }

  ReservationSweeper sweeper() {
    return sweeper;
  }

  @Override
  public Future<Decision> admit(AdmissionRequest r) {
    if (degraded.get()) {
      return Future.succeededFuture(fallback(r));
    }
    return redis.admit(r).timeout(options.getRedisTimeoutMs(), TimeUnit.MILLISECONDS).transform(ar -> {
      if (ar.succeeded()) {
        consecutiveFailures.set(0);
        return Future.succeededFuture(ar.result());
      }
      failed(ar.cause());
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
    sweeper.close();
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
      failed(err);
      enqueue(p);
      return Future.succeededFuture();
    });
  }

  /**
   * One Redis call failed: degrade after several in a row. Until then what was queued is replayed
   * at once, so a single failure does not leave a settlement waiting for an outage that never comes.
   */
  private void failed(Throwable cause) {
    if (consecutiveFailures.incrementAndGet() >= FAILURES_TO_DEGRADE) {
      markDegraded(cause);
    } else {
      vertx.runOnContext(v -> replayNow());
    }
  }

  private void replayNow() {
    if (degraded.get() || !replaying.compareAndSet(false, true)) {
      return;
    }
    replay().onComplete(ar -> {
      replaying.set(false);
      if (ar.failed()) {
        failed(ar.cause());
      }
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
            consecutiveFailures.set(0);
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

  /**
   * Replays the queue in batches of {@link #REPLAY_BATCH} (entries are independent: one request
   * each, idempotent in Redis); failed entries go back to the front and stop the replay. Each batch
   * starts from the event loop, not from the previous one's callback, so a long queue cannot
   * overflow the stack.
   */
  private Future<Void> replay() {
    List<Pending> batch = new ArrayList<>(REPLAY_BATCH);
    for (Pending p; batch.size() < REPLAY_BATCH && (p = pending.pollFirst()) != null; ) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    pendingCount.addAndGet(-batch.size());
    List<Future<Boolean>> sends = new ArrayList<>(batch.size());
    batch.forEach(p -> sends.add(send(p)));
    return Future.join(sends).transform(ar -> {
      Throwable firstFailure = null;
      for (int i = batch.size() - 1; i >= 0; i--) {
        if (sends.get(i).failed()) {
          pending.addFirst(batch.get(i));
          pendingCount.incrementAndGet();
          firstFailure = sends.get(i).cause();
        }
      }
      if (firstFailure != null) {
        return Future.failedFuture(firstFailure);
      }
      Promise<Void> next = Promise.promise();
      vertx.runOnContext(v -> replay().onComplete(next));
      return next.future();
    });
  }
}
