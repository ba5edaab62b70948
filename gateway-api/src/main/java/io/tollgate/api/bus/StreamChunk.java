package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import java.util.List;

/**
 * Connector -> edge stream address: the stream events (each one OpenAI chunk: a list of choice
 * deltas) that the connector had at hand in one event-loop turn. Batching them keeps the messages
 * per answer low (a fast upstream or the mock sends whole bursts in one message) without holding
 * anything back: a batch goes out at the end of the turn that produced it.
 *
 * <p>{@code seq} starts at 0 and has no gaps, so the edge can put messages back in order. Every
 * stream ends with exactly one {@link Kind#END} message, which may carry the last events and
 * carries the final usage and status, also for cancelled and failed streams.
 */
public record StreamChunk(String requestId, long seq, Kind kind, List<List<ChoiceDelta>> events,
                          Usage usage, Outcome.Status status, ErrorCode error, String message) {

  public enum Kind { DELTA, END }

  public StreamChunk {
    events = events == null ? List.of() : List.copyOf(events);
  }

  public static StreamChunk delta(String requestId, long seq, List<List<ChoiceDelta>> events) {
    return new StreamChunk(requestId, seq, Kind.DELTA, events, null, null, null, null);
  }

  public static StreamChunk end(String requestId, long seq, List<List<ChoiceDelta>> events, Usage usage,
                                Outcome.Status status, ErrorCode error, String message) {
    return new StreamChunk(requestId, seq, Kind.END, events, usage, status, error, message);
  }

  public boolean isEnd() {
    return kind == Kind.END;
  }
}
