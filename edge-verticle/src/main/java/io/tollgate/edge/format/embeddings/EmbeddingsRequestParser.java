package io.tollgate.edge.format.embeddings;

import static io.tollgate.edge.format.JsonFields.invalid;
import static io.tollgate.edge.format.JsonFields.positiveInt;
import static io.tollgate.edge.format.JsonFields.string;

import io.tollgate.api.chat.RawJson;
import io.tollgate.api.ops.EmbeddingsRequest;
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
 * Parses OpenAI's embeddings body: {@code input} as a string, an array of strings, an array of
 * token ids or an array of such arrays; {@code encoding_format} {@code float} (default) or
 * {@code base64}; {@code dimensions}; {@code user}. Other top-level fields are kept as sent for
 * OpenAI-compatible upstreams. Errors are 400s naming the field, as OpenAI words them.
 */
final class EmbeddingsRequestParser {

  /** OpenAI's limit on inputs per request; more would let one request fan out without bound. */
  static final int MAX_INPUTS = 2048;
  private static final Set<String> TYPED = Set.of("model", "input", "encoding_format", "dimensions", "user");

  private EmbeddingsRequestParser() {
  }

  static EmbeddingsRequest parse(Buffer body) {
    JsonObject json = JsonFields.object(body);
    String model = string(json, "model", true);
    Object input = json.getValue("input");
    List<String> texts = new ArrayList<>();
    List<List<Integer>> tokens = new ArrayList<>();
    if (input == null) {
      throw invalid("input", "is required");
    } else if (input instanceof String s) {
      texts.add(nonEmpty(s, "input"));
    } else if (input instanceof JsonArray array) {
      inputs(array, texts, tokens);
    } else {
      throw invalid("input", "must be a string, an array of strings, an array of integers or an array of "
          + "arrays of integers");
    }
    EmbeddingsRequest.EncodingFormat format = EmbeddingsRequest.EncodingFormat.FLOAT;
    Object f = json.getValue("encoding_format");
    if (f != null) {
      if ("base64".equals(f)) {
        format = EmbeddingsRequest.EncodingFormat.BASE64;
      } else if (!"float".equals(f)) {
        throw invalid("encoding_format", "must be 'float' or 'base64'");
      }
    }
    Integer dimensions = positiveInt(json, "dimensions");
    String user = string(json, "user", false);
    Map<String, RawJson> extra = new HashMap<>();
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        extra.put(e.getKey(), new RawJson(Json.encode(e.getValue())));
      }
    }
    return new EmbeddingsRequest(model, texts, tokens, format, dimensions, user, extra);
  }

  /** An array input: all strings, all token ids (one input), or all token arrays; never mixed. */
  private static void inputs(JsonArray array, List<String> texts, List<List<Integer>> tokens) {
    if (array.isEmpty()) {
      throw invalid("input", "must not be empty");
    }
    Object first = array.getValue(0);
    if (first instanceof Number) {
      tokens.add(tokenArray(array, "input"));
      return;
    }
    if (array.size() > MAX_INPUTS) {
      throw invalid("input", "must have at most " + MAX_INPUTS + " items");
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String field = "input[" + i + "]";
      if (first instanceof String) {
        if (!(item instanceof String s)) {
          throw invalid(field, "must be a string like the other inputs");
        }
        texts.add(nonEmpty(s, field));
      } else if (first instanceof JsonArray) {
        if (!(item instanceof JsonArray t)) {
          throw invalid(field, "must be an array of integers like the other inputs");
        }
        tokens.add(tokenArray(t, field));
      } else {
        throw invalid(field, "must be a string, an integer or an array of integers");
      }
    }
  }

  private static List<Integer> tokenArray(JsonArray array, String field) {
    if (array.isEmpty()) {
      throw invalid(field, "must not be empty");
    }
    List<Integer> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object t = array.getValue(i);
      if (!(t instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
          || n.doubleValue() > Integer.MAX_VALUE) {
        throw invalid(field + "[" + i + "]", "must be a non-negative integer token id");
      }
      out.add(n.intValue());
    }
    return out;
  }

  private static String nonEmpty(String s, String field) {
    if (s.isEmpty()) {
      throw invalid(field, "must not be an empty string");
    }
    return s;
  }
}
