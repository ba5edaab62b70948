package io.tollgate.billing;

import io.tollgate.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gathers messages into batches, writes one batch at a time and answers each message only once
 * its batch is durable: an ack means written, a failure means "send it again". While a batch is
 * being written the next one fills up, so batches grow with load. Confined to one verticle's
 * context.
 */
final class Batcher<T> {

  private final Vertx vertx;
  private final int maxBatch;
  private final long maxDelayMs;
  private final int maxBuffered;
  private final Function<List<T>, Future<?>> write;
  private final ArrayDeque<Message<T>> buffer = new ArrayDeque<>();
  private boolean writing;
  private long timer = -1;

  Batcher(Vertx vertx, int maxBatch, long maxDelayMs, int maxBuffered, Function<List<T>, Future<?>> write) {
    this.vertx = vertx;
    this.maxBatch = maxBatch;
    this.maxDelayMs = maxDelayMs;
    this.maxBuffered = maxBuffered;
    this.write = write;
  }

  void add(Message<T> message) {
    if (buffer.size() >= maxBuffered) {
      message.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), "busy: " + buffer.size() + " events waiting to be written");
      return;
    }
    buffer.add(message);
    if (buffer.size() >= maxBatch) {
      flush();
    } else if (timer < 0 && !writing) {
      timer = vertx.setTimer(maxDelayMs, id -> {
        timer = -1;
        flush();
      });
    }
  }

  private void flush() {
    if (writing || buffer.isEmpty()) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Message<T>> batch = new ArrayList<>(Math.min(maxBatch, buffer.size()));
    List<T> bodies = new ArrayList<>(batch.size());
    while (batch.size() < maxBatch && !buffer.isEmpty()) {
      Message<T> m = buffer.poll();
      batch.add(m);
      bodies.add(m.body());
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
        batch.forEach(m -> m.reply(null));
      } else {
        String why = "not written: " + ar.cause().getMessage();
        batch.forEach(m -> m.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), why));
      }
      flush();
    });
  }
}
