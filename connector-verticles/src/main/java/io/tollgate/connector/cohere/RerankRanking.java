package io.tollgate.connector.cohere;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.ops.RerankResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An upstream's scores as the client's answer: every index in range and named once, most relevant
 * first (ties in document order), at most {@code top_n}. Upstreams that ignore {@code top_n} (TEI
 * has none) or answer in document order still answer as the API promises. Shared with the mock.
 */
public final class RerankRanking {

  private RerankRanking() {
  }

  public static RerankResult ranked(List<RerankResult.Hit> hits, int documents, Integer topN) {
    boolean[] seen = new boolean[documents];
    for (RerankResult.Hit h : hits) {
      if (h.index() < 0 || h.index() >= documents || seen[h.index()]) {
        throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "malformed response from upstream: result index "
            + h.index() + " out of range or repeated");
      }
      if (!Double.isFinite(h.relevanceScore())) {
        throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "malformed response from upstream: a score is not a number");
      }
      seen[h.index()] = true;
    }
    List<RerankResult.Hit> sorted = new ArrayList<>(hits);
    sorted.sort(Comparator.comparingDouble(RerankResult.Hit::relevanceScore).reversed()
        .thenComparingInt(RerankResult.Hit::index));
    if (topN != null && topN < sorted.size()) {
      sorted = sorted.subList(0, topN);
    }
    return new RerankResult(sorted);
  }
}
