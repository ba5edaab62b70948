package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Sends one call's chunks to the edge's stream address with gap-free sequence numbers. The first
 * chunk and then at most one per ack interval go with request-reply: a failed ack (no handler,
 * the edge forgot the request, timeout) means nobody reads this stream any more, and the caller
 * stops the upstream instead of paying for tokens nobody receives.
 */
final class ChunkRelay {

  private final EventBus bus;
  private final String address;
  private final String requestId;
  private final long ackIntervalNanos;
  private final DeliveryOptions ackOptions;
  private final Handler<Throwable> onEdgeGone;
  private long seq;
  private long lastAckNanos;

  ChunkRelay(EventBus bus, String address, String requestId, ConnectorOptions options,
             Handler<Throwable> onEdgeGone) {
    this.bus = bus;
    this.address = address;
    this.requestId = requestId;
    this.ackIntervalNanos = options.getAckIntervalMs() * 1_000_000L;
    this.ackOptions = new DeliveryOptions().setSendTimeout(options.getAckTimeoutMs());
    this.onEdgeGone = onEdgeGone;
  }

  void delta(List<ChoiceDelta> choices) {
    StreamChunk chunk = StreamChunk.delta(requestId, seq, choices);
    long now = System.nanoTime();
    if (seq == 0 || now - lastAckNanos >= ackIntervalNanos) {
      lastAckNanos = now;
      bus.request(address, chunk, ackOptions).onFailure(onEdgeGone);
    } else {
      bus.send(address, chunk);
    }
    seq++;
  }

  /** The END chunk is never acked: after it there is nothing left to stop. */
  void end(Usage usage, Outcome.Status status, ErrorCode error, String message) {
    bus.send(address, StreamChunk.end(requestId, seq++, usage, status, error, message));
  }
}
