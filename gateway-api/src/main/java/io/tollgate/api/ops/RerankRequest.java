package io.tollgate.api.ops;

import io.tollgate.api.chat.RawJson;
import java.util.List;
import java.util.Map;

/**
 * A rerank request in the Cohere/Jina shape: order {@code documents} by relevance to {@code query}.
 *
 * @param documents       strings or JSON objects, as the client sent them
 * @param topN            how many results to return, null for all
 * @param returnDocuments whether each result echoes its document (the edge can do that from the
 *                        request; it is forwarded so an upstream that needs it sees it), null if unset
 * @param extra           other top-level parameters as sent ({@code max_tokens_per_doc}, {@code rank_fields} ...)
 */
public record RerankRequest(String model, String query, List<Document> documents, Integer topN,
                            Boolean returnDocuments, Map<String, RawJson> extra) implements OperationRequest {

  /** One document: text, or a JSON object ({@code {"text": ...}} and other fields); exactly one is set. */
  public record Document(String text, RawJson object) {
    public Document {
      if ((text == null) == (object == null)) {
        throw new IllegalArgumentException("a rerank document is text or an object");
      }
    }

    public static Document of(String text) {
      return new Document(text, null);
    }

    /** Its size in characters, for estimates. */
    public long chars() {
      return text != null ? text.length() : object.json().length();
    }
  }

  public RerankRequest {
    documents = documents == null ? List.of() : List.copyOf(documents);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  @Override
  public Operation operation() {
    return Operation.RERANK;
  }

  /** The query is scored against every document, so it counts once per document. */
  @Override
  public long estimatedPromptTokens() {
    long queryTokens = OperationRequest.tokensOfChars(query == null ? 0 : query.length());
    long total = 0;
    for (Document d : documents) {
      total += queryTokens + OperationRequest.tokensOfChars(d.chars());
    }
    return Math.max(1, total);
  }
}
