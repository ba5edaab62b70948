package io.tollgate.edge.cache;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.api.ops.OperationResult;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code /v1/embeddings} through the {@link EmbeddingCache}: every input is looked up (one round
 * trip), only the inputs not cached go upstream, and the answer puts cached and fetched vectors
 * back in input order. The upstream is asked for, and bills, the misses only.
 */
public final class EmbeddingsCaching {

  private EmbeddingsCaching() {
  }

  /**
   * What besides the input and the model changes a vector: the dimensions asked for. The encoding
   * does not (vectors are kept as numbers and encoded per answer).
   */
  public static String variant(EmbeddingsRequest request) {
    return request.dimensions() == null ? "d-" : "d" + request.dimensions();
  }

  /** Each input's cache identity, in input order. */
  public static List<String> items(EmbeddingsRequest request) {
    List<String> items = new ArrayList<>(request.inputCount());
    request.texts().forEach(t -> items.add(EmbeddingCache.textItem(t)));
    request.tokens().forEach(t -> items.add(EmbeddingCache.tokensItem(t)));
    return items;
  }

  /** A lookup that found nothing (Redis failed: every input goes upstream). */
  public static EmbeddingCache.Lookup nothing(int count) {
    return new EmbeddingCache.Lookup(Arrays.asList(new double[count][]));
  }

  /** The request for the inputs at {@code misses} only, in their order. */
  public static EmbeddingsRequest onlyMisses(EmbeddingsRequest request, List<Integer> misses) {
    if (misses.size() == request.inputCount()) {
      return request;
    }
    List<String> texts = new ArrayList<>();
    List<List<Integer>> tokens = new ArrayList<>();
    for (int i : misses) {
      if (request.texts().isEmpty()) {
        tokens.add(request.tokens().get(i));
      } else {
        texts.add(request.texts().get(i));
      }
    }
    return new EmbeddingsRequest(request.model(), texts, tokens, request.encodingFormat(), request.dimensions(),
        request.user(), request.extra());
  }

  /** The items at {@code positions}. */
  public static List<String> pick(List<String> items, List<Integer> positions) {
    List<String> out = new ArrayList<>(positions.size());
    positions.forEach(i -> out.add(items.get(i)));
    return out;
  }

  /** The answer of a request whose every input was cached. */
  public static EmbeddingsResult fromCache(EmbeddingCache.Lookup found) {
    return new EmbeddingsResult(floats(found.vectors()));
  }

  /**
   * Writes the whole request's answer through {@code full} from the upstream's answer to the
   * misses: the fetched vectors go to {@code fetchedVectors} (to be stored) and are merged with the
   * cached ones. Usage stays the upstream's: the misses are what was paid for.
   */
  public static AnswerWriter merging(AnswerWriter full, EmbeddingCache.Lookup found,
                                     Consumer<List<double[]>> fetchedVectors) {
    return new AnswerWriter() {
      @Override
      public String responseId() {
        return full.responseId();
      }

      @Override
      public void result(OperationResult result) {
        if (!(result instanceof EmbeddingsResult fetched) || fetched.vectors().size() != found.misses().size()) {
          // A wrong count is the upstream's: the full writer refuses an answer without every vector.
          full.result(result);
          return;
        }
        List<double[]> doubles = new ArrayList<>(fetched.vectors().size());
        for (float[] v : fetched.vectors()) {
          double[] d = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
          }
          doubles.add(d);
        }
        fetchedVectors.accept(doubles);
        full.result(new EmbeddingsResult(floats(found.merge(doubles))));
      }

      @Override
      public Buffer whole(Usage usage) {
        return full.whole(usage);
      }

      @Override
      public Buffer streamStart() {
        return full.streamStart();
      }

      @Override
      public Buffer streamEvents(List<List<ChoiceDelta>> events) {
        return full.streamEvents(events);
      }

      @Override
      public Buffer streamEnd(Usage usage) {
        return full.streamEnd(usage);
      }

      @Override
      public void add(List<ChoiceDelta> event) {
        full.add(event);
      }
    };
  }

  /** Vectors as the float32 they came as (a float widened to double narrows back exactly). */
  private static List<float[]> floats(List<double[]> vectors) {
    List<float[]> out = new ArrayList<>(vectors.size());
    for (double[] d : vectors) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      out.add(f);
    }
    return out;
  }
}
