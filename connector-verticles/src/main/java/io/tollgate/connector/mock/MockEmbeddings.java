package io.tollgate.connector.mock;

import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.connector.ProviderCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mock's embeddings: for each input a unit vector of {@code dimensions} (default
 * {@value #DEFAULT_DIMENSIONS}) floats drawn from a generator seeded by the input, so the same
 * input always gets the same vector, on every node and run, and different inputs different ones.
 * Usage is exact by definition: the gateway's own estimate of the input.
 */
final class MockEmbeddings {

  static final int DEFAULT_DIMENSIONS = 16;

  private MockEmbeddings() {
  }

  static void answer(ProviderCall call, EmbeddingsRequest request) {
    call.started();
    int dims = request.dimensions() != null ? request.dimensions() : DEFAULT_DIMENSIONS;
    List<float[]> vectors = new ArrayList<>(request.inputCount());
    if (request.texts().isEmpty()) {
      for (List<Integer> tokens : request.tokens()) {
        vectors.add(vector(seed(tokens.toString().getBytes(StandardCharsets.UTF_8)), dims));
      }
    } else {
      for (String text : request.texts()) {
        vectors.add(vector(seed(text.getBytes(StandardCharsets.UTF_8)), dims));
      }
    }
    call.result(new EmbeddingsResult(vectors));
    call.usage(new Usage(request.estimatedPromptTokens(), 0, 0, 0, false));
    call.complete();
  }

  /** 64-bit FNV-1a: stable across JVMs, unlike identity hashes. */
  static long seed(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  static float[] vector(long seed, int dims) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      double x = random.nextDouble(-1, 1);
      v[i] = (float) x;
      norm += x * x;
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= scale;
    }
    return v;
  }
}
