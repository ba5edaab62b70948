package io.tollgate.edge.format.embeddings;

import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's {@code POST /v1/embeddings}: how its body is read into an {@link EmbeddingsRequest}
 * and how the answer is written. Keys, errors (OpenAI's envelope), limits, routing and settlement
 * are the OpenAI chat format's and the shared exchange's.
 */
public final class EmbeddingsFormat {

  public static final String PATH = "/v1/embeddings";

  private EmbeddingsFormat() {
  }

  /** The body as a typed request; a 400 naming the field when it is not one. */
  public static EmbeddingsRequest parse(Buffer body) {
    return EmbeddingsRequestParser.parse(body);
  }

  /** The writer of one answer. */
  public static AnswerWriter answer(String requestId, EmbeddingsRequest request) {
    return new EmbeddingsAnswer(requestId, request);
  }
}
