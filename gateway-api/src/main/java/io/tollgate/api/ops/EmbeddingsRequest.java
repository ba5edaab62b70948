package io.tollgate.api.ops;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.api.chat.RawJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An embeddings request (OpenAI's {@code POST /v1/embeddings} shape), one vector asked for per input.
 * Exactly one of {@code texts} and {@code tokens} is non-empty: OpenAI takes a string, strings, a
 * token array or token arrays; a single string or token array is a list of one here (the answer's
 * shape does not depend on it).
 *
 * @param texts          inputs as text
 * @param tokens         inputs as token ids (of the upstream model's tokenizer; only OpenAI-compatible
 *                       upstreams take them)
 * @param encodingFormat how the client wants vectors: the edge encodes the floats it gets back
 * @param dimensions     the output dimensionality the client asked for, null for the model's own
 * @param user           OpenAI's end-user id, forwarded where the upstream takes it
 * @param extra          other top-level parameters, as sent, for OpenAI-compatible upstreams that
 *                       know them (vLLM's {@code truncate_prompt_tokens} ...); other upstreams
 *                       refuse them with a 400 naming them
 */
public record EmbeddingsRequest(String model, List<String> texts, List<List<Integer>> tokens,
                                EncodingFormat encodingFormat, Integer dimensions, String user,
                                Map<String, RawJson> extra) implements OperationRequest {

  /** OpenAI's {@code encoding_format}: base64 is the little-endian float32 bytes of each vector. */
  public enum EncodingFormat {
    FLOAT("float"), BASE64("base64");

    private final String wire;

    EncodingFormat(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }
  }

  public EmbeddingsRequest {
    texts = texts == null ? List.of() : List.copyOf(texts);
    if (tokens == null) {
      tokens = List.of();
    } else {
      List<List<Integer>> copy = new ArrayList<>(tokens.size());
      for (List<Integer> t : tokens) {
        copy.add(List.copyOf(t));
      }
      tokens = List.copyOf(copy);
    }
    if (!texts.isEmpty() && !tokens.isEmpty()) {
      throw new IllegalArgumentException("an embeddings request has text or token inputs, not both");
    }
    encodingFormat = encodingFormat == null ? EncodingFormat.FLOAT : encodingFormat;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  @Override
  public Operation operation() {
    return Operation.EMBEDDINGS;
  }

  /** How many vectors the answer must hold. */
  public int inputCount() {
    return texts.isEmpty() ? tokens.size() : texts.size();
  }

  @Override
  public long estimatedPromptTokens() {
    long total = 0;
    for (String t : texts) {
      total += Math.max(1, OperationRequest.tokensOfChars(t.length()));
    }
    for (List<Integer> t : tokens) {
      total += t.size();
    }
    return total;
  }
}
