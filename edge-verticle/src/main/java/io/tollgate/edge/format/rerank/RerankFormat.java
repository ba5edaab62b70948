package io.tollgate.edge.format.rerank;

import io.tollgate.api.ops.RerankRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;

/**
 * {@code POST /v1/rerank} in the Cohere/Jina shape: how its body is read into a
 * {@link RerankRequest} and how the answer is written. Keys, errors (OpenAI's envelope, as on every
 * {@code /v1} path but {@code /v1/messages}), limits, routing and settlement are the shared path's.
 */
public final class RerankFormat {

  public static final String PATH = "/v1/rerank";

  private RerankFormat() {
  }

  /** The body as a typed request; a 400 naming the field when it is not one. */
  public static RerankRequest parse(Buffer body) {
    return RerankRequestParser.parse(body);
  }

  /** The writer of one answer. */
  public static AnswerWriter answer(String requestId, RerankRequest request) {
    return new RerankAnswer(requestId, request);
  }
}
