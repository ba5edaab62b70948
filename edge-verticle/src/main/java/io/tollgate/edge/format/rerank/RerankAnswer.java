package io.tollgate.edge.format.rerank;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.OperationResult;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.api.ops.RerankResult;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Writes the rerank answer: {@code {"id","model","results":[{"index","relevance_score",
 * "document"?}],"usage":{"prompt_tokens","total_tokens"},"meta":{"tokens":{"input_tokens"}}}}, the
 * results as the connector ranked them (most relevant first, at most {@code top_n}). With
 * {@code return_documents: true} each result carries its document from the request: a string as
 * {@code {"text": ...}} (Cohere v1 and Jina's shape), an object as sent. Never streams.
 */
final class RerankAnswer implements AnswerWriter {

  private final String responseId;
  private final RerankRequest request;
  private RerankResult result;

  RerankAnswer(String requestId, RerankRequest request) {
    this.responseId = requestId;
    this.request = request;
  }

  @Override
  public String responseId() {
    return responseId;
  }

  @Override
  public void result(OperationResult result) {
    if (result instanceof RerankResult r) {
      this.result = r;
    }
  }

  @Override
  public Buffer whole(Usage usage) {
    if (result == null) {
      throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "the upstream answered without the ranking");
    }
    boolean withDocuments = Boolean.TRUE.equals(request.returnDocuments());
    JsonArray results = new JsonArray();
    for (RerankResult.Hit hit : result.results()) {
      JsonObject r = new JsonObject().put("index", hit.index()).put("relevance_score", hit.relevanceScore());
      if (withDocuments) {
        RerankRequest.Document d = request.documents().get(hit.index());
        r.put("document", d.text() != null ? new JsonObject().put("text", d.text()) : new JsonObject(d.object().json()));
      }
      results.add(r);
    }
    long prompt = usage == null ? 0 : usage.promptTokens();
    return new JsonObject().put("id", responseId).put("model", request.model()).put("results", results)
        .put("usage", new JsonObject().put("prompt_tokens", prompt).put("total_tokens", prompt))
        .put("meta", new JsonObject().put("tokens", new JsonObject().put("input_tokens", prompt)))
        .toBuffer();
  }

  @Override
  public Buffer streamStart() {
    throw new IllegalStateException("rerank never streams");
  }

  @Override
  public Buffer streamEvents(List<List<ChoiceDelta>> events) {
    throw new IllegalStateException("rerank never streams");
  }

  @Override
  public Buffer streamEnd(Usage usage) {
    throw new IllegalStateException("rerank never streams");
  }

  @Override
  public void add(List<ChoiceDelta> event) {
    // A unary answer has no stream events.
  }
}
