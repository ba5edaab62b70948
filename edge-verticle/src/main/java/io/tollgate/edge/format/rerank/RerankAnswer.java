package io.tollgate.edge.format.rerank;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.api.ops.RerankResult;
import io.tollgate.edge.format.UnaryAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes the rerank answer: {@code {"id","model","results":[{"index","relevance_score",
 * "document"?}],"usage":{"prompt_tokens","total_tokens"},"meta":{"tokens":{"input_tokens"}}}}, the
 * results as the connector ranked them (most relevant first, at most {@code top_n}). With
 * {@code return_documents: true} each result carries its document from the request: a string as
 * {@code {"text": ...}} (Cohere v1 and Jina's shape), an object as sent. Never streams.
 */
final class RerankAnswer extends UnaryAnswer<RerankResult> {

  private final RerankRequest request;

  RerankAnswer(String requestId, RerankRequest request) {
    super(requestId, RerankResult.class);
    this.request = request;
  }

  @Override
  public Buffer whole(Usage usage) {
    RerankResult result = result();
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
    return new JsonObject().put("id", responseId()).put("model", request.model()).put("results", results)
        .put("usage", new JsonObject().put("prompt_tokens", prompt).put("total_tokens", prompt))
        .put("meta", new JsonObject().put("tokens", new JsonObject().put("input_tokens", prompt)))
        .toBuffer();
  }
}
