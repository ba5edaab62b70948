package io.tollgate.edge;

import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.trace.HopTimers;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-flight exchanges of one edge instance, fed by its single stream address. Chunks that ask
 * for an acknowledgement (the connector's liveness probe) are answered here: an empty reply while
 * the exchange wants the stream, a failure when the request is unknown, its client left or the
 * chunk belongs to an attempt the router superseded, which tells the connector to stop the
 * upstream call.
 */
final class StreamDemux {

  static final int UNKNOWN_REQUEST = 404;
  static final int CLIENT_GONE = 410;

  private final Map<String, Exchange> inFlight = new HashMap<>();
  private final HopTimers hops;

  StreamDemux() {
    this(HopTimers.NONE);
  }

  /** @param hops where each chunk's time across the event bus is recorded */
  StreamDemux(HopTimers hops) {
    this.hops = hops;
  }

  void add(Exchange x) {
    inFlight.put(x.requestId(), x);
  }

  void remove(Exchange x) {
    inFlight.remove(x.requestId(), x);
  }

  int size() {
    return inFlight.size();
  }

  void onChunk(Message<StreamChunk> msg) {
    StreamChunk chunk = msg.body();
    hops.received(HopTimers.Hop.CHUNK, chunk.sentAtNanos());
    Exchange x = inFlight.get(chunk.requestId());
    boolean wantsAck = msg.replyAddress() != null;
    if (x == null) {
      if (wantsAck) {
        msg.fail(UNKNOWN_REQUEST, "unknown request " + chunk.requestId());
      }
      return;
    }
    Exchange.Verdict verdict = x.chunk(chunk);
    if (wantsAck) {
      if (verdict == Exchange.Verdict.CONTINUE) {
        msg.reply(null);
      } else {
        msg.fail(CLIENT_GONE, "nobody reads attempt " + chunk.attempt() + " of " + chunk.requestId());
      }
    }
  }

  /** Gives up exchanges whose stream made no progress for too long, or whose client stopped reading. */
  void expireIdle(long nowNanos) {
    List<Exchange> idle = null;
    List<Exchange> stalled = null;
    for (Exchange x : inFlight.values()) {
      if (x.expired(nowNanos)) {
        idle = add(idle, x);
      } else if (x.stalled(nowNanos)) {
        stalled = add(stalled, x);
      }
    }
    if (idle != null) {
      idle.forEach(Exchange::expire);
    }
    if (stalled != null) {
      stalled.forEach(Exchange::abandonStalledClient);
    }
  }

  private static List<Exchange> add(List<Exchange> list, Exchange x) {
    List<Exchange> out = list == null ? new ArrayList<>() : list;
    out.add(x);
    return out;
  }
}
