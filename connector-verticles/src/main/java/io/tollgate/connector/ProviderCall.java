package io.tollgate.connector;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.OperationResult;
import java.util.List;

/**
 * What a {@link Provider} sees of one call in flight. The order is: {@link #onAbort} as soon as
 * there is something to stop, then {@link #started()} (or {@link #fail} before it), then any
 * number of {@link #deltas}, optionally {@link #usage}, and finally {@link #complete()} or
 * {@link #fail}. Calls after the call finished (cancelled, timed out) are ignored, so a provider
 * need not track that itself; {@link #isFinished()} lets it stop early.
 */
public interface ProviderCall {

  UpstreamCall call();

  /**
   * The W3C context to send the upstream as {@code traceparent}/{@code tracestate}: the
   * connector's span with tracing on, else the client's context as it came; null: send none.
   */
  default io.tollgate.api.trace.TraceContext upstreamTrace() {
    return call().trace();
  }

  /**
   * How to stop the upstream at once (client cancel, timeout, edge gone). Run at most once, on
   * the connector's loop; replaces an earlier hook.
   */
  void onAbort(Runnable abort);

  /** The upstream accepted the call (status line and headers in): the router gets CallStarted. */
  void started();

  void deltas(List<ChoiceDelta> choices);

  /** Usage the upstream reported; the last report wins. */
  void usage(Usage usage);

  /**
   * Usage known before the end (Anthropic reports the prompt's exact tokens when the message
   * starts). Not the final count: if the stream is cut, the estimate starts from it instead of
   * counting the prompt's characters; {@link #usage} still wins once it comes.
   */
  default void usageSoFar(Usage usage) {
  }

  /**
   * The answer of a unary operation (embeddings, rerank), reported once before {@link #complete()}:
   * it travels on the END chunk with the usage, so the edge fences, settles and fails over exactly
   * as for a chat stream. A provider answering a unary operation calls {@link #started()} when the
   * upstream's status line is in, then this, optionally {@link #usage}, then {@link #complete()};
   * a call that completes without a result reaches the client as an upstream error.
   */
  void result(OperationResult result);

  /** The upstream finished normally. */
  void complete();

  /**
   * The call failed: before {@link #started()} the router gets the failure (and may fail over),
   * after it the stream ends with status ERROR.
   */
  void fail(GatewayException failure);

  boolean isFinished();
}
