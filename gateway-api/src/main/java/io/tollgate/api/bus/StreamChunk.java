package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import java.util.List;

/**
 * Connector -> edge stream address. {@code seq} starts at 0 and has no gaps, so the edge can put
 * chunks back in order. Every stream ends with exactly one {@link Kind#END} chunk that carries the
 * final usage and status, also for cancelled and failed streams.
 */
public record StreamChunk(String requestId, long seq, Kind kind, List<ChoiceDelta> choices,
                          Usage usage, Outcome.Status status, ErrorCode error, String message) {

  public enum Kind { DELTA, END }

  public StreamChunk {
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  public static StreamChunk delta(String requestId, long seq, List<ChoiceDelta> choices) {
    return new StreamChunk(requestId, seq, Kind.DELTA, choices, null, null, null, null);
  }

  public static StreamChunk end(String requestId, long seq, Usage usage, Outcome.Status status,
                                ErrorCode error, String message) {
    return new StreamChunk(requestId, seq, Kind.END, null, usage, status, error, message);
  }

  public boolean isEnd() {
    return kind == Kind.END;
  }
}
