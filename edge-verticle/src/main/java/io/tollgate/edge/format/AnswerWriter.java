package io.tollgate.edge.format;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.OperationResult;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Writes one answer in a client format, from canonical stream events. A streaming answer is
 * {@link #streamStart()}, any number of {@link #streamEvents}, then {@link #streamEnd}; a
 * non-streaming one is any number of {@link #add} and then {@link #whole}. A writer belongs to
 * one exchange and is used on its event loop only.
 */
public interface AnswerWriter {

  /** The id the client sees for this answer ({@code chatcmpl-...}, {@code msg_...}, {@code resp_...}). */
  String responseId();

  /** Bytes right after the stream's head (Anthropic's {@code message_start}); may be empty. */
  Buffer streamStart();

  /** The bytes for these events, in order; one buffer so that a batch is one socket write. */
  Buffer streamEvents(List<List<ChoiceDelta>> events);

  /** The last bytes of a good stream, with the final usage (may be null when none was reported). */
  Buffer streamEnd(Usage usage);

  /** Folds one event into the non-streaming answer. */
  void add(List<ChoiceDelta> event);

  /**
   * A unary operation's answer (embeddings ...), from the END message, before {@link #whole}; chat
   * writers never get one. {@link #whole} may throw a {@link io.tollgate.api.GatewayException}
   * when the answer it needs did not come (the client then gets that error).
   */
  default void result(OperationResult result) {
  }

  /** The whole JSON answer for a non-streaming client. */
  Buffer whole(Usage usage);
}
