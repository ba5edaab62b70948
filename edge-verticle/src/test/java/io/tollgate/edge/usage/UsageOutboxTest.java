package io.tollgate.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.bus.Outcome;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Usage outbox: acknowledged delivery with retry, bounded")
class UsageOutboxTest {

  private static final String BILLING = "test.billing";
  private static final String AUDIT = "test.audit";
  private static final OutboxOptions FAST = new OutboxOptions(1_000, 8, 2_000, 5, 20);

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static UsageEvent event(int i) {
    return new UsageEvent("req-" + i, Instant.EPOCH, Instant.EPOCH, "t", "k", "m", "d", "p", 0, null, null, 1, -1,
        Outcome.Status.OK, null, null, null, null, null);
  }

  /** Runs {@code action} on one event-loop context and waits for it. */
  private <T> T onLoop(Supplier<T> action) throws Exception {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> p.complete(action.get()));
    return p.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private UsageOutbox outbox(OutboxOptions options) throws Exception {
    return onLoop(() -> new UsageOutbox(vertx, options, List.of(BILLING, AUDIT)));
  }

  /** Completes once {@code condition} holds on the event loop, checked every few milliseconds. */
  private Future<Void> until(Supplier<Boolean> condition) {
    Promise<Void> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> vertx.setPeriodic(2, id -> {
      if (condition.get()) {
        vertx.cancelTimer(id);
        p.tryComplete();
      }
    }));
    return p.future();
  }

  private static void await(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("events sent while no consumer exists, or while it refuses, all arrive once it acks, at both destinations")
  void retriesUntilAcked() throws Exception {
    UsageOutbox outbox = outbox(FAST);
    AtomicInteger refusals = new AtomicInteger();
    Map<String, Integer> billed = new ConcurrentHashMap<>();
    Map<String, Integer> audited = new ConcurrentHashMap<>();
    Promise<Void> allBilled = Promise.promise();
    Promise<Void> allAudited = Promise.promise();
    int n = 50;
    onLoop(() -> {
      for (int i = 0; i < n; i++) {
        outbox.offer(event(i));
      }
      return null;
    });
    // Nobody listens yet: every send fails with NO_HANDLERS and waits for its retry.
    assertThat(onLoop(() -> outbox.pending(BILLING))).isEqualTo(n);
    await(vertx.eventBus().<UsageEvent>consumer(BILLING, m -> {
      // The first few sends are refused, as a billing node whose database is down would.
      if (refusals.incrementAndGet() <= 5) {
        m.fail(500, "database down");
        return;
      }
      if (billed.merge(m.body().requestId(), 1, Integer::sum) == 1 && billed.size() == n) {
        allBilled.tryComplete();
      }
      m.reply(null);
    }).completion());
    await(vertx.eventBus().<UsageEvent>consumer(AUDIT, m -> {
      audited.merge(m.body().requestId(), 1, Integer::sum);
      if (audited.size() == n) {
        allAudited.tryComplete();
      }
      m.reply(null);
    }).completion());
    await(Future.all(allBilled.future(), allAudited.future()));
    assertThat(billed.values()).allMatch(c -> c == 1);
    // The acks travel back to the outbox after the consumers counted: wait for them to land.
    await(until(() -> outbox.acked(BILLING) == n && outbox.acked(AUDIT) == n));
    assertThat(onLoop(() -> outbox.pending(BILLING) + outbox.pending(AUDIT))).isZero();
  }

  @Test
  @DisplayName("a full outbox drops new events and counts them instead of growing")
  void bounded() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(10, 2, 2_000, 1_000, 1_000));
    onLoop(() -> {
      for (int i = 0; i < 25; i++) {
        outbox.offer(event(i));
      }
      return null;
    });
    assertThat(onLoop(() -> outbox.pending(BILLING))).isEqualTo(10);
    assertThat(onLoop(() -> outbox.dropped(BILLING))).isEqualTo(15);
  }

  @Test
  @DisplayName("no more events wait for an ack than the window allows")
  void window() throws Exception {
    OutboxOptions options = new OutboxOptions(100, 3, 5_000, 5, 20);
    UsageOutbox outbox = outbox(options);
    AtomicInteger unanswered = new AtomicInteger();
    Promise<Void> threeArrived = Promise.promise();
    await(vertx.eventBus().<UsageEvent>consumer(BILLING, m -> {
      if (unanswered.incrementAndGet() == 3) {
        threeArrived.tryComplete();
      }
    }).completion());
    onLoop(() -> {
      for (int i = 0; i < 10; i++) {
        outbox.offer(event(i));
      }
      return null;
    });
    await(threeArrived.future());
    // A message sent after the third would be handled before this one, which is sent after it.
    await(vertx.eventBus().request(BILLING + ".none", "x").recover(e -> Future.succeededFuture()));
    assertThat(unanswered.get()).isEqualTo(3);
    assertThat(onLoop(() -> outbox.pending(BILLING))).isEqualTo(10);
  }

  @Test
  @DisplayName("offering from another thread than the owning event loop is refused")
  void confined() throws Exception {
    UsageOutbox outbox = outbox(FAST);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> outbox.offer(event(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
