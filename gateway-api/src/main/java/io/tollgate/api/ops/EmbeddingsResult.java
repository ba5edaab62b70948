package io.tollgate.api.ops;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Arrays;
import java.util.List;

/**
 * The vectors of an {@link EmbeddingsRequest}, one per input, in input order (the connector puts
 * them in order whatever order the upstream listed them in). Floats, whatever the client's
 * {@code encoding_format}: the edge encodes them. The arrays are never written to after
 * construction. Usage travels beside it on the END chunk (completion tokens 0). Between nodes each
 * vector is {@link Float32Base64} text.
 */
public record EmbeddingsResult(
    @JsonSerialize(contentUsing = Float32Base64.Serializer.class)
    @JsonDeserialize(contentUsing = Float32Base64.Deserializer.class)
    List<float[]> vectors) implements OperationResult {

  public EmbeddingsResult {
    vectors = List.copyOf(vectors);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EmbeddingsResult other) || other.vectors.size() != vectors.size()) {
      return false;
    }
    for (int i = 0; i < vectors.size(); i++) {
      if (!Arrays.equals(vectors.get(i), other.vectors.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (float[] v : vectors) {
      h = 31 * h + Arrays.hashCode(v);
    }
    return h;
  }

  @Override
  public String toString() {
    return "EmbeddingsResult[" + vectors.size() + " vectors]";
  }
}
