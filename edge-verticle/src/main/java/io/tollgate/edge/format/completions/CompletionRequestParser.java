package io.tollgate.edge.format.completions;

import static io.tollgate.edge.format.JsonFields.bool;
import static io.tollgate.edge.format.JsonFields.invalid;
import static io.tollgate.edge.format.JsonFields.number;
import static io.tollgate.edge.format.JsonFields.positiveInt;
import static io.tollgate.edge.format.JsonFields.string;

import io.tollgate.api.chat.RawJson;
import io.tollgate.api.ops.CompletionRequest;
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
 * Parses OpenAI's legacy completions body. {@code prompt}: a string, an array of strings, an array
 * of token ids or an array of token arrays (token prompts are passed on: only OpenAI-compatible
 * servers and the mock serve completions, and they take them). {@code logprobs} above 0 is refused:
 * the gateway relays text, not per-token log probabilities, and a client asking for them should
 * not silently get null. Other fields ({@code seed}, {@code best_of}, {@code logit_bias},
 * penalties ...) go upstream as sent.
 */
final class CompletionRequestParser {

  /** OpenAI's own limits. */
  static final int MAX_PROMPTS = 2048;
  static final int MAX_N = 128;
  static final int MAX_STOP = 4;
  private static final Set<String> TYPED = Set.of("model", "prompt", "stream", "stream_options", "max_tokens",
      "temperature", "top_p", "n", "stop", "suffix", "echo", "logprobs", "user");

  private CompletionRequestParser() {
  }

  static CompletionsFormat.Parsed parse(Buffer body) {
    JsonObject json = JsonFields.object(body);
    String model = string(json, "model", true);
    List<String> prompts = new ArrayList<>();
    List<List<Integer>> tokens = new ArrayList<>();
    prompt(json.getValue("prompt"), prompts, tokens);
    boolean stream = bool(json, "stream");
    boolean includeUsage = false;
    Object so = json.getValue("stream_options");
    if (so != null) {
      if (!(so instanceof JsonObject opts)) {
        throw invalid("stream_options", "must be an object");
      }
      if (!stream) {
        throw invalid("stream_options", "is only allowed when 'stream' is true");
      }
      includeUsage = bool(opts, "include_usage");
    }
    Integer n = positiveInt(json, "n");
    if (n != null && n > MAX_N) {
      throw invalid("n", "must be at most " + MAX_N);
    }
    List<String> stop = JsonFields.stop(json.getValue("stop"));
    if (stop != null && stop.size() > MAX_STOP) {
      throw invalid("stop", "must have at most " + MAX_STOP + " sequences");
    }
    Object echo = json.getValue("echo");
    if (echo != null && !(echo instanceof Boolean)) {
      throw invalid("echo", "must be a boolean");
    }
    Object logprobs = json.getValue("logprobs");
    if (logprobs != null && (!(logprobs instanceof Number l) || l.doubleValue() != 0)) {
      throw new io.tollgate.api.GatewayException(io.tollgate.api.ErrorCode.INVALID_REQUEST,
          "The parameter 'logprobs' is not supported by this gateway: it relays the completion's text only.",
          "logprobs");
    }
    Map<String, RawJson> extra = new HashMap<>();
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        extra.put(e.getKey(), new RawJson(Json.encode(e.getValue())));
      }
    }
    CompletionRequest request = new CompletionRequest(model, prompts, tokens, stream, positiveInt(json, "max_tokens"),
        number(json, "temperature", 0, 2), number(json, "top_p", 0, 1), n, stop, string(json, "suffix", false),
        (Boolean) echo, null, string(json, "user", false), extra);
    return new CompletionsFormat.Parsed(request, includeUsage);
  }

  private static void prompt(Object prompt, List<String> prompts, List<List<Integer>> tokens) {
    if (prompt == null) {
      throw invalid("prompt", "is required");
    }
    if (prompt instanceof String s) {
      prompts.add(s);
      return;
    }
    if (!(prompt instanceof JsonArray array)) {
      throw invalid("prompt", "must be a string, an array of strings, an array of integers or an array of arrays "
          + "of integers");
    }
    if (array.isEmpty()) {
      throw invalid("prompt", "must not be empty");
    }
    Object first = array.getValue(0);
    if (first instanceof Number) {
      tokens.add(tokenArray(array, "prompt"));
      return;
    }
    if (array.size() > MAX_PROMPTS) {
      throw invalid("prompt", "must have at most " + MAX_PROMPTS + " items");
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String field = "prompt[" + i + "]";
      if (first instanceof String && item instanceof String s) {
        prompts.add(s);
      } else if (first instanceof JsonArray && item instanceof JsonArray t) {
        tokens.add(tokenArray(t, field));
      } else {
        throw invalid(field, first instanceof String || first instanceof JsonArray
            ? "must be of the same kind as the other prompts" : "must be a string, an integer or an array of integers");
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
      if (!(t instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue()) || num.doubleValue() < 0
          || num.doubleValue() > Integer.MAX_VALUE) {
        throw invalid(field + "[" + i + "]", "must be a non-negative integer token id");
      }
      out.add(num.intValue());
    }
    return out;
  }
}
