package io.tollgate.edge;

import io.tollgate.api.bus.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Puts one attempt's stream messages back in sequence order. Duplicates and messages already
 * passed are dropped; messages ahead of a gap wait (bounded by the edge's idle limit: a gap that is
 * not filled in time ends the exchange).
 */
final class AttemptStream {

  private long nextSeq;
  private TreeMap<Long, StreamChunk> ahead;
  private StreamChunk end;

  /** The messages that are now in order, possibly none. */
  List<StreamChunk> offer(StreamChunk c) {
    if (c.isEnd() && end == null) {
      end = c;
    }
    if (c.seq() != nextSeq) {
      if (c.seq() > nextSeq) {
        if (ahead == null) {
          ahead = new TreeMap<>();
        }
        ahead.putIfAbsent(c.seq(), c);
      }
      return List.of();
    }
    List<StreamChunk> ready = new ArrayList<>(1);
    ready.add(c);
    nextSeq++;
    while (ahead != null && !ahead.isEmpty() && ahead.firstKey() == nextSeq) {
      ready.add(ahead.pollFirstEntry().getValue());
      nextSeq++;
    }
    return ready;
  }

  /** The END message if it arrived, in order or not: its usage is final whatever went missing before it. */
  StreamChunk end() {
    return end;
  }

  boolean waitingForGap() {
    return ahead != null && !ahead.isEmpty();
  }
}
