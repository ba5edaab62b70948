package io.tollgate.api.usage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gathers items into write batches, writes one batch at a time and completes each caller's promise
 * only once all of its items are durable: success means written, a failure means "send it again".
 * A caller's items may span several write batches (a bus message carries many events); its promise
 * completes when the last of them committed and fails as soon as one of them did not. A batch is
 * written when it is full or when its oldest item has waited {@code maxDelayMs}, also right after
 * the previous write: each transaction costs the database far more than a row, so batches are
 * allowed to fill, and the delay is the deadline. Confined to one verticle's context.
 */
public final class Batcher<T> {

  private final Vertx vertx;
  private final int maxBatch;
  private final long maxDelayMs;
  private final int maxBuffered;
  private final Function<List<T>, Future<?>> write;
  private final ArrayDeque<Entry<T>> buffer = new ArrayDeque<>();
  private boolean writing;
  private long timer = -1;

  public Batcher(Vertx vertx, int maxBatch, long maxDelayMs, int maxBuffered, Function<List<T>, Future<?>> write) {
    this.vertx = vertx;
    this.maxBatch = maxBatch;
    this.maxDelayMs = maxDelayMs;
    this.maxBuffered = maxBuffered;
    this.write = write;
  }

  /**
   * Queues {@code items}; {@code done} succeeds once every one of them is written, fails at once
   * when the buffer is full (an empty buffer always takes a list, however long, so no list is
   * refused forever).
   */
  public void add(List<T> items, Promise<Void> done) {
    if (items.isEmpty()) {
      done.tryComplete();
      return;
    }
    if (!buffer.isEmpty() && buffer.size() + items.size() > maxBuffered) {
      done.tryFail(new BusyException("busy: " + buffer.size() + " events waiting to be written"));
      return;
    }
    Ticket ticket = new Ticket(items.size(), done, System.nanoTime());
    for (T item : items) {
      buffer.add(new Entry<>(item, ticket));
    }
    next();
  }

  /** Writes now if a batch is full or due, else makes sure a timer writes it when it is due. */
  private void next() {
    if (writing || buffer.isEmpty()) {
      return;
    }
    long waitedMs = (System.nanoTime() - buffer.peek().ticket().arrivedNanos) / 1_000_000L;
    if (buffer.size() >= maxBatch || waitedMs >= maxDelayMs) {
      flush();
    } else if (timer < 0) {
      timer = vertx.setTimer(maxDelayMs - waitedMs, id -> {
        timer = -1;
        next();
      });
    }
  }

  private void flush() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Entry<T>> batch = new ArrayList<>(Math.min(maxBatch, buffer.size()));
    List<T> bodies = new ArrayList<>(batch.size());
    while (batch.size() < maxBatch && !buffer.isEmpty()) {
      Entry<T> e = buffer.poll();
      batch.add(e);
      bodies.add(e.item());
    }
    writing = true;
    Future<?> written;
    try {
      written = write.apply(bodies);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        batch.forEach(e -> e.ticket().written());
      } else {
        String why = "not written: " + ar.cause().getMessage();
        batch.forEach(e -> e.ticket().failed(why));
      }
      next();
    });
  }

  /** Thrown into a caller's promise when the buffer is full: nothing was queued. */
  static final class BusyException extends RuntimeException {
    BusyException(String message) {
      super(message, null, false, false);
    }
  }

  private record Entry<T>(T item, Ticket ticket) {
  }

  /** One caller's list: how many of its items are still unwritten. */
  private static final class Ticket {

    private final Promise<Void> done;
    private final long arrivedNanos;
    private int remaining;

    Ticket(int remaining, Promise<Void> done, long arrivedNanos) {
      this.remaining = remaining;
      this.done = done;
      this.arrivedNanos = arrivedNanos;
    }

    void written() {
      if (--remaining == 0) {
        done.tryComplete();
      }
    }

    // Items of a failed list still queued are written anyway (harmless: writes are idempotent and
    // the resend skips them); the first failure already told the sender to resend.
    void failed(String why) {
      done.tryFail(why);
    }
  }
}
