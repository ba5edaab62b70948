package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.OperationResult;
import io.tollgate.api.trace.HopClock;
import java.util.List;

/**
 * Connector -> edge stream address: the stream events (each one OpenAI chunk: a list of choice
 * deltas) that the connector had at hand in one event-loop turn. Batching them keeps the messages
 * per answer low (a fast upstream or the mock sends whole bursts in one message) without holding
 * anything back: a batch goes out at the end of the turn that produced it.
 *
 * <p>{@code attempt} is the router's attempt number of the call that produced the chunk: the edge
 * accepts only the attempt the router declared started, so a superseded attempt that started late
 * can never mix its text into the answer. {@code seq} starts at 0 per attempt and has no gaps, so
 * the edge can put messages back in order. Every stream ends with exactly one {@link Kind#END}
 * message, which may carry the last events and carries the final usage, status and the deployment
 * that produced it (so an edge that never heard the router's answer can still settle exactly),
 * also for cancelled and failed streams.
 *
 * <p>A unary operation (embeddings, rerank) sends no DELTA: its answer is the END chunk's
 * {@code result}, set only when {@code status} is OK, so it is fenced by attempt and settled with
 * its usage exactly as a chat stream's end is.
 *
 * <p>{@code sentAtNanos} is the connector's {@link HopClock} reading when the message was made
 * (the factories stamp it; messages are sent as soon as they are made).
 */
public record StreamChunk(String requestId, int attempt, long seq, Kind kind, List<List<ChoiceDelta>> events,
                          Usage usage, Outcome.Status status, ErrorCode error, String message,
                          String deploymentId, OperationResult result, long sentAtNanos) {

  public enum Kind { DELTA, END }

  public StreamChunk {
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** Stamped now, without a unary result. */
  public StreamChunk(String requestId, int attempt, long seq, Kind kind, List<List<ChoiceDelta>> events, Usage usage,
                     Outcome.Status status, ErrorCode error, String message, String deploymentId) {
    this(requestId, attempt, seq, kind, events, usage, status, error, message, deploymentId, null, HopClock.now());
  }

  /** Stamped now. */
  public StreamChunk(String requestId, int attempt, long seq, Kind kind, List<List<ChoiceDelta>> events, Usage usage,
                     Outcome.Status status, ErrorCode error, String message, String deploymentId,
                     OperationResult result) {
    this(requestId, attempt, seq, kind, events, usage, status, error, message, deploymentId, result, HopClock.now());
  }

  public static StreamChunk delta(String requestId, int attempt, long seq, List<List<ChoiceDelta>> events) {
    return new StreamChunk(requestId, attempt, seq, Kind.DELTA, events, null, null, null, null, null,
        (OperationResult) null);
  }

  public static StreamChunk end(String requestId, int attempt, long seq, List<List<ChoiceDelta>> events,
                                Usage usage, Outcome.Status status, ErrorCode error, String message,
                                String deploymentId) {
    return end(requestId, attempt, seq, events, usage, status, error, message, deploymentId, null);
  }

  /** The END chunk with a unary operation's answer ({@code result} null for chat and for failures). */
  public static StreamChunk end(String requestId, int attempt, long seq, List<List<ChoiceDelta>> events,
                                Usage usage, Outcome.Status status, ErrorCode error, String message,
                                String deploymentId, OperationResult result) {
    return new StreamChunk(requestId, attempt, seq, Kind.END, events, usage, status, error, message, deploymentId,
        result);
  }

  public boolean isEnd() {
    return kind == Kind.END;
  }
}
