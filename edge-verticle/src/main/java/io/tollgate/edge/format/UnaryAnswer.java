package io.tollgate.edge.format;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.OperationResult;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The writer of an operation answered in one body (embeddings, rerank): it keeps the END chunk's
 * result of type {@code R} for {@link #whole} and never streams.
 */
public abstract class UnaryAnswer<R extends OperationResult> implements AnswerWriter {

  private final String responseId;
  private final Class<R> type;
  private R result;

  protected UnaryAnswer(String responseId, Class<R> type) {
    this.responseId = responseId;
    this.type = type;
  }

  @Override
  public final String responseId() {
    return responseId;
  }

  @Override
  public final void result(OperationResult result) {
    if (type.isInstance(result)) {
      this.result = type.cast(result);
    }
  }

  /** The result the END chunk carried, or null if it carried none of type {@code R}. */
  protected final R result() {
    return result;
  }

  @Override
  public final Buffer streamStart() {
    throw new IllegalStateException(getClass().getSimpleName() + " never streams");
  }

  @Override
  public final Buffer streamEvents(List<List<ChoiceDelta>> events) {
    throw new IllegalStateException(getClass().getSimpleName() + " never streams");
  }

  @Override
  public final Buffer streamEnd(Usage usage) {
    throw new IllegalStateException(getClass().getSimpleName() + " never streams");
  }

  @Override
  public final void add(List<ChoiceDelta> event) {
    // A unary answer has no stream events.
  }
}
