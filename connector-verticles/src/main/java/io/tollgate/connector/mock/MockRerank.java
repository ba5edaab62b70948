package io.tollgate.connector.mock;

import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.api.ops.RerankResult;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.cohere.RerankRanking;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mock's rerank: a document's score is the share of the query's distinct words (lower-cased,
 * split on anything not a letter or digit) that it contains, so the same request always ranks the
 * same way and a test can predict it. Usage is the gateway's estimate, exact by definition.
 */
final class MockRerank {

  private MockRerank() {
  }

  static void answer(ProviderCall call, RerankRequest request) {
    call.started();
    Set<String> query = words(request.query());
    List<RerankResult.Hit> hits = new ArrayList<>(request.documents().size());
    for (int i = 0; i < request.documents().size(); i++) {
      RerankRequest.Document d = request.documents().get(i);
      Set<String> doc = words(d.text() != null ? d.text() : d.object().json());
      long common = query.stream().filter(doc::contains).count();
      hits.add(new RerankResult.Hit(i, query.isEmpty() ? 0 : (double) common / query.size()));
    }
    call.result(RerankRanking.ranked(hits, request.documents().size(), request.topN()));
    call.usage(new Usage(request.estimatedPromptTokens(), 0, 0, 0, false));
    call.complete();
  }

  static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
