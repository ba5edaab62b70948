package io.tollgate.api.ops;

import java.util.List;

/**
 * A rerank answer: the ranked documents, most relevant first, each by its index in the request.
 * The documents themselves are not carried back (the edge has them). Usage travels beside it on
 * the END chunk.
 */
public record RerankResult(List<Hit> results) implements OperationResult {

  /** One ranked document. */
  public record Hit(int index, double relevanceScore) {
  }

  public RerankResult {
    results = List.copyOf(results);
  }
}
