package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.keys.Concurrency;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Concurrency limits with a bounded queue")
class ConcurrencyLimiterTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private static ConcurrencyLimitException failureOf(Future<?> f) {
    Throwable t = await(f.<Throwable>transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(t).isInstanceOf(ConcurrencyLimitException.class);
    return (ConcurrencyLimitException) t;
  }

  @Test
  @DisplayName("2 running and 2 queued: the fifth fails at once, the queued ones after the max wait")
  void queueFullAndTimeout() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.create(vertx);
    Concurrency limits = new Concurrency(2, 2, 200L);
    long start = System.nanoTime();
    List<Future<ConcurrencyLimiter.Permit>> acquires = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      acquires.add(limiter.acquire("deployment:d1", limits));
    }
    await(acquires.get(0));
    await(acquires.get(1));
    ConcurrencyLimitException full = failureOf(acquires.get(4));
    assertThat(full.reason()).isEqualTo(ConcurrencyLimitException.Reason.QUEUE_FULL);
    assertThat(full.scope()).isEqualTo("deployment:d1");
    assertThat(acquires.get(2).isComplete()).isFalse();

    assertThat(failureOf(acquires.get(2)).reason()).isEqualTo(ConcurrencyLimitException.Reason.TIMEOUT);
    assertThat(failureOf(acquires.get(3)).reason()).isEqualTo(ConcurrencyLimitException.Reason.TIMEOUT);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
  }

  @Test
  @DisplayName("the waiters of every scope of a kind are counted together, and leave the count when served or expired")
  void queuedByKind() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.create(vertx);
    Concurrency limits = new Concurrency(1, 5, 300L);
    ConcurrencyLimiter.Permit a = await(limiter.acquire("key:a", limits));
    await(limiter.acquire("key:b", limits));
    Future<ConcurrencyLimiter.Permit> waitsA = limiter.acquire("key:a", limits);
    Future<ConcurrencyLimiter.Permit> waitsB = limiter.acquire("key:b", limits);
    await(limiter.acquire("tenant:t", limits));
    assertThat(limiter.queuedOfKind("key")).isEqualTo(2);
    assertThat(limiter.queuedOfKind("tenant")).isZero();
    assertThat(limiter.queuedOfKind("deployment")).isZero();
    a.release();
    await(waitsA);
    assertThat(limiter.queuedOfKind("key")).as("served").isEqualTo(1);
    assertThat(failureOf(waitsB).reason()).isEqualTo(ConcurrencyLimitException.Reason.TIMEOUT);
    assertThat(limiter.queuedOfKind("key")).as("expired").isZero();
  }

  @Test
  @DisplayName("a release admits the next waiter, and releasing twice frees one slot only")
  void releaseAdmitsNext() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.create(vertx);
    Concurrency limits = new Concurrency(1, 5, 10_000L);
    ConcurrencyLimiter.Permit first = await(limiter.acquire("s", limits));
    Future<ConcurrencyLimiter.Permit> second = limiter.acquire("s", limits);
    Future<ConcurrencyLimiter.Permit> third = limiter.acquire("s", limits);
    first.release();
    ConcurrencyLimiter.Permit granted = await(second);
    first.release();
    // Give a wrongly freed slot the chance to reach the third waiter before checking.
    await(limiter.acquire("other", limits).onSuccess(ConcurrencyLimiter.Permit::release));
    assertThat(third.isComplete()).isFalse();
    granted.release();
    await(third).release();
  }

  @Test
  @DisplayName("a tenant's burst does not starve another tenant: waiters are served round-robin")
  void fairAcrossTenants() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.create(vertx);
    Concurrency limits = new Concurrency(1, 10, 10_000L);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ConcurrencyLimiter.Permit holder = await(limiter.acquire("shared", "a", limits));
    List<Future<ConcurrencyLimiter.Permit>> waiting = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      String name = "a" + i;
      waiting.add(limiter.acquire("shared", "a", limits).onSuccess(p -> order.add(name)));
    }
    waiting.add(limiter.acquire("shared", "b", limits).onSuccess(p -> order.add("b1")));
    waiting.add(limiter.acquire("shared", "b", limits).onSuccess(p -> order.add("b2")));
    ConcurrencyLimiter.Permit current = holder;
    for (Future<ConcurrencyLimiter.Permit> ignored : waiting) {
      current.release();
      current = await(firstNewlyGranted(waiting));
    }
    current.release();
    assertThat(order).containsExactly("a1", "b1", "a2", "b2", "a3", "a4");
  }

  private final java.util.Set<Object> seen = Collections.synchronizedSet(new java.util.HashSet<>());

  /** The permit granted after the last release (exactly one waiter gets it). */
  private Future<ConcurrencyLimiter.Permit> firstNewlyGranted(List<Future<ConcurrencyLimiter.Permit>> waiting) {
    return Future.any(waiting.stream().filter(f -> !seen.contains(f)).toList()).map(v -> {
      for (Future<ConcurrencyLimiter.Permit> f : waiting) {
        if (f.succeeded() && seen.add(f)) {
          return f.result();
        }
      }
      throw new AssertionError("no permit granted");
    });
  }
}
