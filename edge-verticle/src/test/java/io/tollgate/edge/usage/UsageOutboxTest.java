package io.tollgate.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.bus.Outcome;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.usage.AuditText;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Usage outbox: batched, acknowledged delivery with retry, bounded")
class UsageOutboxTest {

  private static final String BILLING = "test.billing";
  private static final String AUDIT = "test.audit";
  private static final OutboxOptions FAST = new OutboxOptions(1_000, 16, 8, 2_000, 5, 20);

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
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      // The first few batches are refused, as a billing node whose database is down would.
      if (refusals.incrementAndGet() <= 5) {
        m.fail(500, "database down");
        return;
      }
      for (UsageEvent e : m.body().events()) {
        billed.merge(e.requestId(), 1, Integer::sum);
      }
      if (billed.size() == n) {
        allBilled.tryComplete();
      }
      m.reply(null);
    }).completion());
    await(vertx.eventBus().<UsageBatch>consumer(AUDIT, m -> {
      m.body().events().forEach(e -> audited.merge(e.requestId(), 1, Integer::sum));
      if (audited.size() == n) {
        allAudited.tryComplete();
      }
      m.reply(null);
    }).completion());
    await(Future.all(allBilled.future(), allAudited.future()));
    assertThat(billed.values()).allMatch(c -> c == 1);
    assertThat(audited.values()).allMatch(c -> c == 1);
    // The acks travel back to the outbox after the consumers counted: wait for them to land.
    await(until(() -> outbox.acked(BILLING) == n && outbox.acked(AUDIT) == n));
    assertThat(onLoop(() -> outbox.pending(BILLING) + outbox.pending(AUDIT))).isZero();
  }

  @Test
  @DisplayName("prompt text goes to audit only, and not while audit's backlog is past its limit (the record still goes)")
  void textToAuditOnly() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(5_000, 256, 8, 2_000, 5, 20));
    int n = UsageOutbox.DEFAULT_MAX_TEXT_BACKLOG + 5;
    AuditText text = new AuditText("user: [email]", "ok");
    // Nobody listens yet: the audit lane's backlog grows past the text limit.
    onLoop(() -> {
      for (int i = 0; i < n; i++) {
        outbox.offer(event(i).withText(text));
      }
      return null;
    });
    assertThat(onLoop(outbox::textsDropped)).isEqualTo(5L);
    Map<String, AuditText> audited = new ConcurrentHashMap<>();
    AtomicInteger billedWithText = new AtomicInteger();
    AtomicInteger billed = new AtomicInteger();
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      m.body().events().forEach(e -> {
        billed.incrementAndGet();
        if (e.text() != null) {
          billedWithText.incrementAndGet();
        }
      });
      m.reply(null);
    }).completion());
    await(vertx.eventBus().<UsageBatch>consumer(AUDIT, m -> {
      m.body().events().forEach(e -> audited.put(e.requestId(), e.text()));
      m.reply(null);
    }).completion());
    await(until(() -> audited.size() == n && billed.get() >= n));
    assertThat(billedWithText.get()).isZero();
    assertThat(audited.values().stream().filter(text::equals).count())
        .isEqualTo(UsageOutbox.DEFAULT_MAX_TEXT_BACKLOG);
    assertThat(audited.values().stream().filter(UsageOutbox.TEXT_BACKLOGGED::equals).count()).isEqualTo(5);
  }

  @Test
  @DisplayName("a full outbox drops new events and counts them instead of growing")
  void bounded() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(10, 4, 2, 2_000, 1_000, 1_000));
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
  @DisplayName("no more batches wait for an ack than the window allows, each at most the batch size")
  void window() throws Exception {
    OutboxOptions options = new OutboxOptions(100, 2, 3, 5_000, 5, 20);
    UsageOutbox outbox = outbox(options);
    AtomicInteger unanswered = new AtomicInteger();
    AtomicInteger events = new AtomicInteger();
    Promise<Void> threeArrived = Promise.promise();
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      events.addAndGet(m.body().size());
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
    assertThat(events.get()).isEqualTo(6);
    assertThat(onLoop(() -> outbox.pending(BILLING))).isEqualTo(10);
  }

  @Test
  @DisplayName("events offered in one event-loop turn leave as one message at the end of that turn, split at the batch size")
  void coalescesPerTurn() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(1_000, 16, 8, 5_000, 5, 20));
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    List<String> order = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      sizes.add(m.body().size());
      m.body().events().forEach(e -> order.add(e.requestId()));
      m.reply(null);
    }).completion());
    onLoop(() -> {
      for (int i = 0; i < 5; i++) {
        outbox.offer(event(i));
      }
      return null;
    });
    await(until(() -> outbox.acked(BILLING) == 5));
    onLoop(() -> {
      for (int i = 5; i < 45; i++) {
        outbox.offer(event(i));
      }
      return null;
    });
    await(until(() -> outbox.acked(BILLING) == 45));
    assertThat(sizes).containsExactly(5, 16, 16, 8);
    assertThat(order).containsExactlyElementsOf(IntStream.range(0, 45).mapToObj(i -> "req-" + i).toList());
  }

  @Test
  @DisplayName("events offered in separate event-loop turns wait for each other during the linger and leave as one message once the batch is full")
  void lingerGathersTurns() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(1_000, 5, 8, 5_000, 5, 20, 60_000));
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      sizes.add(m.body().size());
      m.reply(null);
    }).completion());
    for (int i = 0; i < 7; i++) {
      int n = i;
      onLoop(() -> {
        outbox.offer(event(n));
        return null;
      });
    }
    await(until(() -> outbox.acked(BILLING) == 5));
    assertThat(sizes).containsExactly(5);
    // The other two wait for their linger (a minute here), not for the end of their turn.
    assertThat(onLoop(() -> outbox.pending(BILLING))).isEqualTo(2);
  }

  @Test
  @DisplayName("a lone event leaves once its linger is over, in order after a retry")
  void loneEventAfterLinger() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(1_000, 16, 8, 5_000, 5, 20, 50));
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicInteger messages = new AtomicInteger();
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      if (messages.incrementAndGet() == 1) {
        m.fail(500, "database down");
        return;
      }
      arrivals.add(System.nanoTime());
      m.body().events().forEach(e -> order.add(e.requestId()));
      m.reply(null);
    }).completion());
    long offered = onLoop(() -> {
      outbox.offer(event(0));
      return System.nanoTime();
    });
    await(until(() -> outbox.acked(BILLING) == 1));
    onLoop(() -> {
      outbox.offer(event(1));
      return null;
    });
    await(until(() -> outbox.acked(BILLING) == 2));
    assertThat(arrivals.get(0) - offered).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(order).containsExactly("req-0", "req-1");
    assertThat(messages.get()).isEqualTo(3);
  }

  @Test
  @DisplayName("a refused batch goes back to the head of the queue: with one batch in flight, events arrive in order")
  void retryKeepsOrder() throws Exception {
    UsageOutbox outbox = outbox(new OutboxOptions(1_000, 4, 1, 5_000, 5, 20));
    AtomicInteger messages = new AtomicInteger();
    List<String> order = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<UsageBatch>consumer(BILLING, m -> {
      if (messages.incrementAndGet() == 2) {
        m.fail(500, "database down");
        return;
      }
      m.body().events().forEach(e -> order.add(e.requestId()));
      m.reply(null);
    }).completion());
    onLoop(() -> {
      for (int i = 0; i < 20; i++) {
        outbox.offer(event(i));
      }
      return null;
    });
    await(until(() -> outbox.acked(BILLING) == 20));
    assertThat(messages.get()).isEqualTo(6);
    assertThat(order).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "req-" + i).toList());
  }

  @Test
  @DisplayName("offering from another thread than the owning event loop is refused")
  void confined() throws Exception {
    UsageOutbox outbox = outbox(FAST);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> outbox.offer(event(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
