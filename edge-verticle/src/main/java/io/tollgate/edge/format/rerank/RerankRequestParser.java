package io.tollgate.edge.format.rerank;

import static io.tollgate.edge.format.JsonFields.invalid;
import static io.tollgate.edge.format.JsonFields.positiveInt;
import static io.tollgate.edge.format.JsonFields.string;

import io.tollgate.api.chat.RawJson;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.edge.format.JsonFields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a Cohere/Jina rerank body: {@code model}, {@code query} (a non-empty string),
 * {@code documents} (1 to {@value #MAX_DOCUMENTS} strings or JSON objects), {@code top_n} (a
 * positive integer), {@code return_documents} (a boolean, default false). Other top-level fields
 * ({@code max_tokens_per_doc}, {@code rank_fields} ...) are kept as sent for the upstream.
 */
final class RerankRequestParser {

  /** Cohere's limit on documents per request; more would let one request fan out without bound. */
  static final int MAX_DOCUMENTS = 1000;
  private static final Set<String> TYPED = Set.of("model", "query", "documents", "top_n", "return_documents");

  private RerankRequestParser() {
  }

  static RerankRequest parse(Buffer body) {
    JsonObject json = JsonFields.object(body);
    String model = string(json, "model", true);
    String query = string(json, "query", true);
    Object docs = json.getValue("documents");
    if (!(docs instanceof JsonArray array)) {
      throw invalid("documents", docs == null ? "is required" : "must be an array of strings or objects");
    }
    if (array.isEmpty()) {
      throw invalid("documents", "must not be empty");
    }
    if (array.size() > MAX_DOCUMENTS) {
      throw invalid("documents", "must have at most " + MAX_DOCUMENTS + " items");
    }
    List<RerankRequest.Document> documents = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object d = array.getValue(i);
      if (d instanceof String s) {
        documents.add(RerankRequest.Document.of(s));
      } else if (d instanceof JsonObject o) {
        if (o.containsKey("text") && !(o.getValue("text") instanceof String)) {
          throw invalid("documents[" + i + "].text", "must be a string");
        }
        documents.add(new RerankRequest.Document(null, new RawJson(o.encode())));
      } else {
        throw invalid("documents[" + i + "]", "must be a string or an object");
      }
    }
    Integer topN = positiveInt(json, "top_n");
    Object rd = json.getValue("return_documents");
    if (rd != null && !(rd instanceof Boolean)) {
      throw invalid("return_documents", "must be a boolean");
    }
    Map<String, RawJson> extra = new HashMap<>();
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        extra.put(e.getKey(), new RawJson(Json.encode(e.getValue())));
      }
    }
    return new RerankRequest(model, query, documents, topN, (Boolean) rd, extra);
  }
}
