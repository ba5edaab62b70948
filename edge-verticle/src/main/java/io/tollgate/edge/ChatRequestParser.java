package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses an OpenAI chat completion body into a {@link ChatRequest}, once, with OpenAI-style
 * validation messages naming the offending field.
 */
final class ChatRequestParser {

  /** Top-level fields read into typed fields; everything else goes to {@code extra}. */
  private static final Set<String> TYPED = Set.of("model", "messages", "stream", "stream_options",
      "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "user");
  /**
   * Most choices one request may ask for: OpenAI's own maximum for {@code n}. Without it a client
   * could make a connector (the mock allocates per choice) or the admission estimate scale with
   * any number it writes.
   */
  static final int MAX_CHOICES = 128;
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatRequestParser() {
  }

  static ChatRequest parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new GatewayException(ErrorCode.INVALID_JSON, "We could not parse the JSON body of your request: it is empty.");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new GatewayException(ErrorCode.INVALID_JSON,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST, "The request body must be a JSON object.");
    }
    String model = string(json, "model", true);
    List<ChatMessage> messages = messages(json.getValue("messages"));
    boolean stream = bool(json, "stream");
    boolean includeUsage = false;
    Object so = json.getValue("stream_options");
    if (so != null) {
      if (!(so instanceof JsonObject opts)) {
        throw invalid("stream_options", "must be an object");
      }
      includeUsage = bool(opts, "include_usage");
    }
    Integer maxCompletionTokens = positiveInt(json, "max_completion_tokens");
    Integer maxTokens = positiveInt(json, "max_tokens");
    Double temperature = number(json, "temperature", 0, 2);
    Double topP = number(json, "top_p", 0, 1);
    Integer n = positiveInt(json, "n");
    if (n != null && n > MAX_CHOICES) {
      throw invalid("n", "must be at most " + MAX_CHOICES);
    }
    List<String> stop = stop(json.getValue("stop"));
    String user = string(json, "user", false);
    Map<String, Object> extra = new HashMap<>();
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        extra.put(e.getKey(), plain(e.getValue()));
      }
    }
    return new ChatRequest(model, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, user, extra,
        maxCompletionTokens);
  }

  private static List<ChatMessage> messages(Object value) {
    if (!(value instanceof JsonArray array)) {
      throw value == null ? invalid("messages", "is required") : invalid("messages", "must be an array");
    }
    if (array.isEmpty()) {
      throw invalid("messages", "must contain at least one message");
    }
    List<ChatMessage> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String field = "messages[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject m)) {
        throw invalid(field, "must be an object");
      }
      Object role = m.getValue("role");
      if (!(role instanceof String r) || !ROLES.contains(r)) {
        throw invalid(field + ".role", "must be one of " + ROLES);
      }
      Object content = m.getValue("content");
      if (content != null && !(content instanceof String) && !(content instanceof JsonArray)) {
        throw invalid(field + ".content", "must be a string or an array of content parts");
      }
      Object toolCalls = m.getValue("tool_calls");
      out.add(new ChatMessage((String) role, plain(content), m.getString("name"), m.getString("tool_call_id"),
          plain(toolCalls)));
    }
    return out;
  }

  private static List<String> stop(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof JsonArray a) {
      List<String> out = new ArrayList<>(a.size());
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw invalid("stop", "must be a string or an array of strings");
        }
        out.add(s);
      }
      return out;
    }
    throw invalid("stop", "must be a string or an array of strings");
  }

  private static String string(JsonObject json, String field, boolean required) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        throw invalid(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s) || (required && s.isBlank())) {
      throw invalid(field, "must be a non-empty string");
    }
    return s;
  }

  private static boolean bool(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw invalid(field, "must be a boolean");
    }
    return b;
  }

  private static Integer positiveInt(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    // Range-checked as a double: longValue() of a BigInteger past 64 bits keeps only its low bits.
    if (!(v instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue()) || num.doubleValue() < 1
        || num.doubleValue() > Integer.MAX_VALUE) {
      throw invalid(field, "must be a positive integer");
    }
    return num.intValue();
  }

  private static Double number(JsonObject json, String field, double min, double max) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number num) || num.doubleValue() < min || num.doubleValue() > max) {
      throw invalid(field, "must be a number between " + min + " and " + max);
    }
    return num.doubleValue();
  }

  /** JsonObject/JsonArray to plain maps and lists: records must not hold Vert.x JSON types. */
  private static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      return o.getMap();
    }
    if (v instanceof JsonArray a) {
      return a.getList();
    }
    return v;
  }

  private static GatewayException invalid(String field, String problem) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, "Invalid value for '" + field + "': " + problem + ".", field);
  }
}
