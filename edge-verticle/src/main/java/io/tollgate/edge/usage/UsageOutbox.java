package io.tollgate.edge.usage;

import io.tollgate.api.Addresses;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.AuditText;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the usage events of one edge verticle instance until billing and audit acknowledged
 * them: events are sent in batches ({@link UsageBatch}, up to {@link OutboxOptions#maxBatch()} per
 * message, gathered for at most {@link OutboxOptions#lingerMs()}) to {@link Addresses#BILLING_USAGE}
 * and {@link Addresses#AUDIT_USAGE} with a reply expected, and a batch is resent whole with backoff until it is acknowledged. Confined to the
 * context that created it (the edge instance's event loop): no locks, no blocking, two timers per
 * destination at most (linger, retry).
 *
 * <p>The outbox lives in memory: events still in it when the node dies are lost (see the README);
 * when a destination stays down long enough to fill it, new events are dropped and counted.
 */
public final class UsageOutbox {

  private final Thread loop;
  private final Lane billing;
  private final Lane audit;
  /**
   * Events not yet acknowledged, summed over both lanes: written on the loop, read from any thread
   * (the node's {@code tollgate_usage_outbox_depth} gauge, the drain on shutdown).
   */
  private final AtomicInteger depth = new AtomicInteger();

  /**
   * Audit events still unacknowledged past which new ones lose their prompt text. An event is about
   * 1 KB, but an opted-in tenant's text may add up to 64 KB (two texts of 16,384 characters): with
   * audit unreachable, a full outbox of text would hold gigabytes. The record itself is kept.
   */
  public static final int DEFAULT_MAX_TEXT_BACKLOG = 1_000;
  /** What an event that lost its text to the backlog says in its record instead. */
  public static final AuditText TEXT_BACKLOGGED = new AuditText("[not stored: audit backlog]", null);
  private long textsDropped;

  public UsageOutbox(Vertx vertx, OutboxOptions options) {
    this(vertx, options, List.of(Addresses.BILLING_USAGE, Addresses.AUDIT_USAGE));
  }

  UsageOutbox(Vertx vertx, OutboxOptions options, List<String> addresses) {
    if (!Context.isOnEventLoopThread()) {
      throw new IllegalStateException("create the usage outbox on its edge instance's event loop");
    }
    this.loop = Thread.currentThread();
    Context context = vertx.getOrCreateContext();
    this.billing = new Lane(vertx, context, addresses.get(0), options, depth);
    this.audit = new Lane(vertx, context, addresses.get(1), options, depth);
  }

  /** Queues {@code event} for both destinations; returns at once. Call on the owning context. */
  public void offer(UsageEvent event) {
    checkContext();
    if (event.text() == null) {
      billing.offer(event);
      audit.offer(event);
      return;
    }
    // Billing has no use for an opted-in tenant's (redacted) text: it travels to audit only.
    billing.offer(event.withText(null));
    if (audit.pending() >= DEFAULT_MAX_TEXT_BACKLOG) {
      textsDropped++;
      audit.offer(event.withText(TEXT_BACKLOGGED));
    } else {
      audit.offer(event);
    }
  }

  /** Events of a destination not yet acknowledged (queued or in flight). */
  public int pending(String address) {
    return lane(address).pending();
  }

  /** Events of both destinations not yet acknowledged; safe to read from any thread. */
  public int depth() {
    return depth.get();
  }

  /**
   * Whether some destination has events and is delivering them (not backing off after a failure):
   * what a draining node waits for. A destination that is down (no billing node, say) is not
   * waited for: its events stay and are counted, as on any failure. Any thread.
   */
  public boolean delivering() {
    return billing.delivering() || audit.delivering();
  }

  /** Prompt texts not sent because the audit lane held {@link #DEFAULT_MAX_TEXT_BACKLOG} events or more. */
  public long textsDropped() {
    return textsDropped;
  }

  /** Events dropped because a destination's lane was full. */
  public long dropped(String address) {
    return lane(address).dropped();
  }

  /** Events acknowledged by a destination. */
  public long acked(String address) {
    return lane(address).acked();
  }

  /** Stops the retry timers; events still held are lost. */
  public void close() {
    billing.close();
    audit.close();
  }

  private Lane lane(String address) {
    return billing.address().equals(address) ? billing : audit;
  }

  private void checkContext() {
    if (Thread.currentThread() != loop) {
      throw new IllegalStateException("the usage outbox is confined to its edge instance's event loop");
    }
  }

  /**
   * One destination: a bounded queue, a window of unacknowledged batches, a backoff after failures.
   * A batch leaves when it is full or when its first event has waited {@link OutboxOptions#lingerMs()}
   * (with no linger: at the end of the event-loop turn that queued it), so one timer per linger
   * period at most, and a burst costs one message per full batch.
   */
  private static final class Lane {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UsageOutbox.class);

    private final Vertx vertx;
    private final Context context;
    private final String address;
    private final OutboxOptions options;
    private final DeliveryOptions delivery;
    private final ArrayDeque<UsageEvent> queue = new ArrayDeque<>();
    private int inFlightBatches;
    private int inFlightEvents;
    /** Whatever is queued may leave now (its linger ended, or it is a retry); cleared once the queue is empty. */
    private boolean due;
    private boolean flushScheduled;
    private long lingerTimer = -1;
    private long backoffMs;
    private long retryTimer = -1;
    private long dropped;
    private long acked;
    private boolean closed;
    private final AtomicInteger depth;
    /** This lane's unacknowledged events and whether it backs off, for readers on other threads. */
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean stalled;

    Lane(Vertx vertx, Context context, String address, OutboxOptions options, AtomicInteger depth) {
      this.depth = depth;
      this.vertx = vertx;
      this.context = context;
      this.address = address;
      this.options = options;
      this.delivery = new DeliveryOptions().setSendTimeout(options.ackTimeoutMs());
      this.backoffMs = options.initialBackoffMs();
    }

    String address() {
      return address;
    }

    int pending() {
      return queue.size() + inFlightEvents;
    }

    long dropped() {
      return dropped;
    }

    boolean delivering() {
      return held.get() > 0 && !stalled;
    }

    long acked() {
      return acked;
    }

    void offer(UsageEvent event) {
      if (pending() >= options.capacity()) {
        dropped++;
        // Once per power of two: loud enough to be seen, quiet enough not to flood the log.
        if (Long.bitCount(dropped) == 1) {
          LOG.warn("usage outbox for {} is full ({} events): {} events dropped so far, last request_id={}",
              address, options.capacity(), dropped, event.requestId());
        }
        return;
      }
      queue.add(event);
      depth.incrementAndGet();
      held.incrementAndGet();
      if (queue.size() >= options.maxBatch() || options.lingerMs() == 0) {
        flushAtEndOfTurn();
      } else {
        linger();
      }
    }

    /** Sends at the end of this event-loop turn: the events the turn queued travel together. */
    private void flushAtEndOfTurn() {
      due = true;
      if (!flushScheduled) {
        flushScheduled = true;
        context.runOnContext(v -> {
          flushScheduled = false;
          pump();
        });
      }
    }

    private void linger() {
      if (!due && lingerTimer < 0 && !closed) {
        lingerTimer = vertx.setTimer(options.lingerMs(), id -> {
          lingerTimer = -1;
          due = true;
          pump();
        });
      }
    }

    private void pump() {
      while (!closed && retryTimer < 0 && inFlightBatches < options.maxInFlightBatches()
          && (due ? !queue.isEmpty() : queue.size() >= options.maxBatch())) {
        send();
      }
      if (queue.isEmpty()) {
        due = false;
      } else if (!due) {
        linger();
      }
    }

    private void send() {
      int n = Math.min(options.maxBatch(), queue.size());
      List<UsageEvent> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        events.add(queue.poll());
      }
      UsageBatch batch = new UsageBatch(events);
      inFlightBatches++;
      inFlightEvents += n;
      vertx.eventBus().request(address, batch, delivery).onComplete(ar -> {
        inFlightBatches--;
        inFlightEvents -= n;
        if (ar.succeeded()) {
          acked += n;
          depth.addAndGet(-n);
          held.addAndGet(-n);
          stalled = false;
          backoffMs = options.initialBackoffMs();
        } else {
          // Back at the head, in order: retried first, after the pause.
          List<UsageEvent> sent = batch.events();
          for (int i = sent.size() - 1; i >= 0; i--) {
            queue.addFirst(sent.get(i));
          }
          due = true;
          pause(ar.cause());
        }
        pump();
      });
    }

    private void pause(Throwable cause) {
      stalled = true;
      if (retryTimer >= 0 || closed) {
        return;
      }
      long delay = backoffMs;
      backoffMs = Math.min(backoffMs * 2, options.maxBackoffMs());
      LOG.debug("usage delivery to {} failed ({}); retrying in {} ms, {} pending", address, cause.getMessage(),
          delay, pending());
      retryTimer = vertx.setTimer(delay, id -> {
        retryTimer = -1;
        pump();
      });
    }

    void close() {
      closed = true;
      if (retryTimer >= 0) {
        vertx.cancelTimer(retryTimer);
        retryTimer = -1;
      }
      if (lingerTimer >= 0) {
        vertx.cancelTimer(lingerTimer);
        lingerTimer = -1;
      }
    }
  }
}
