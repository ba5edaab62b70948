package io.tollgate.traffic;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back reservations nobody settled: a node that crashed mid-request would otherwise leave
 * its estimates on the quota and budget counters for good. Every edge node runs one; the sweep is
 * one atomic script per batch, so concurrent sweepers give each reservation back exactly once.
 */
final class ReservationSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(ReservationSweeper.class);
  /** Batches in one tick at most, so a huge backlog is worked off over several ticks. */
  static final int MAX_BATCHES_PER_TICK = 100;

  private final Vertx vertx;
  private final RedisAdmission redis;
  private final TrafficOptions options;
  private final LongSupplier clock;
  private final BooleanSupplier paused;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong sweeps = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private volatile long timer = -1;

  /**
   * @param clock  epoch millis (the tests pass a clock they move)
   * @param paused true while sweeping would be pointless (Redis unreachable)
   */
  ReservationSweeper(Vertx vertx, RedisAdmission redis, TrafficOptions options, LongSupplier clock,
                     BooleanSupplier paused) {
    this.vertx = vertx;
    this.redis = redis;
    this.options = options;
    this.clock = clock;
    this.paused = paused;
  }

  void start() {
    timer = vertx.setPeriodic(options.getSweepIntervalMs(), id -> tick());
  }

  void close() {
    long t = timer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
  }

  private void tick() {
    if (paused.getAsBoolean() || !running.compareAndSet(false, true)) {
      return;
    }
    sweep(clock.getAsLong()).onComplete(ar -> {
      running.set(false);
      sweeps.incrementAndGet();
      if (ar.failed()) {
        LOG.debug("reservation sweep failed, next try in {} ms: {}", options.getSweepIntervalMs(), ar.cause().toString());
      } else if (ar.result() > 0) {
        released.addAndGet(ar.result());
        LOG.info("gave back {} reservations that were never settled", ar.result());
      }
    });
  }

  /** Timer sweeps finished (failed ones included). */
  long sweeps() {
    return sweeps.get();
  }

  /** Reservations the timer sweeps gave back. */
  long released() {
    return released.get();
  }

  /** Sweeps everything due at {@code nowMs}; succeeds with how many reservations were given back. */
  Future<Integer> sweep(long nowMs) {
    Promise<Integer> done = Promise.promise();
    batch(nowMs, 0, 0, done);
    return done.future();
  }

  private void batch(long nowMs, int batches, int released, Promise<Integer> done) {
    redis.sweep(nowMs, options.getSweepBatch())
        .timeout(Math.max(options.getRedisTimeoutMs(), 1_000), TimeUnit.MILLISECONDS)
        .onFailure(done::fail)
        .onSuccess(swept -> {
          int total = released + swept.released();
          if (swept.examined() < options.getSweepBatch() || batches + 1 >= MAX_BATCHES_PER_TICK) {
            done.complete(total);
          } else {
            // The next batch from a fresh stack, not from this callback.
            vertx.runOnContext(v -> batch(nowMs, batches + 1, total, done));
          }
        });
  }
}
