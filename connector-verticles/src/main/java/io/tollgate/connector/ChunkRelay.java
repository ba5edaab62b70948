package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.OperationResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one call's stream events to the edge's stream address. Events that arrive in the same
 * event-loop turn (one TCP read of an SSE stream, one burst of the mock) travel as one message,
 * sent at the end of that turn, with gap-free sequence numbers; the last ones ride with END.
 * On a cluster this turns a message per token into a message per network read.
 *
 * <p>The first message and then at most one per ack interval go with request-reply: a failed ack
 * (no handler, the edge forgot the request, timeout) means nobody reads this stream any more, and
 * the caller stops the upstream instead of paying for tokens nobody receives. The edge also fails
 * the ack of an attempt it no longer wants (the router moved on), which stops a late starter.
 */
final class ChunkRelay {

  private final ChunkHop bus;
  private final Context context;
  private final String address;
  private final String requestId;
  private final int attempt;
  private final String deploymentId;
  private final long ackIntervalNanos;
  private final long ackTimeoutMs;
  private final Handler<Throwable> onEdgeGone;
  private List<List<ChoiceDelta>> pending;
  private boolean flushScheduled;
  private boolean ended;
  private long seq;
  private long lastAckNanos;

  ChunkRelay(ChunkHop bus, Context context, String address, String requestId, int attempt, String deploymentId,
             ConnectorOptions options, Handler<Throwable> onEdgeGone) {
    this.bus = bus;
    this.context = context;
    this.address = address;
    this.requestId = requestId;
    this.attempt = attempt;
    this.deploymentId = deploymentId;
    this.ackIntervalNanos = options.getAckIntervalMs() * 1_000_000L;
    this.ackTimeoutMs = options.getAckTimeoutMs();
    this.onEdgeGone = onEdgeGone;
  }

  /** One stream event (one OpenAI chunk's choices); it leaves at the end of this turn. */
  void delta(List<ChoiceDelta> choices) {
    if (ended) {
      return;
    }
    if (pending == null) {
      pending = new ArrayList<>(8);
    }
    pending.add(choices);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    if (ended || pending == null) {
      return;
    }
    StreamChunk chunk = StreamChunk.delta(requestId, attempt, seq++, pending);
    pending = null;
    long now = System.nanoTime();
    if (chunk.seq() == 0 || now - lastAckNanos >= ackIntervalNanos) {
      lastAckNanos = now;
      bus.request(address, chunk, ackTimeoutMs).onFailure(onEdgeGone);
    } else {
      bus.send(address, chunk);
    }
  }

  /** The END message, with any events not sent yet. It is never acked: after it there is nothing left to stop. */
  void end(Usage usage, Outcome.Status status, ErrorCode error, String message, OperationResult result) {
    if (ended) {
      return;
    }
    ended = true;
    List<List<ChoiceDelta>> last = pending == null ? List.of() : pending;
    pending = null;
    bus.send(address, StreamChunk.end(requestId, attempt, seq++, last, usage, status, error, message, deploymentId,
        result));
  }
}
