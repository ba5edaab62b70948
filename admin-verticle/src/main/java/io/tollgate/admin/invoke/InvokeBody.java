package io.tollgate.admin.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.http.AdminJson;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /admin/v1/models/{name}/invoke}: an OpenAI chat request whose
 * {@code model} may be left out (the path names it). The fields the gateway acts on are typed as
 * the edge types them; every other field goes to {@link ChatRequest#extra()} and on to the upstream.
 * The answer is always one {@code chat.completion}, so {@code stream} is ignored.
 */
public final class InvokeBody {

  private static final Set<String> TYPED = Set.of("model", "messages", "stream", "stream_options", "max_tokens",
      "max_completion_tokens", "temperature", "top_p", "n", "stop", "user");

  private InvokeBody() {
  }

  public static ChatRequest parse(ObjectNode body, String model) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw AdminErrors.badRequest("'messages' must be a non-empty array of chat messages", "messages");
    }
    List<ChatMessage> parsed = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String param = "messages[" + i + "]";
      if (!m.isObject() || !m.path("role").isTextual()) {
        throw AdminErrors.badRequest(param + " must be an object with a string 'role'", param);
      }
      JsonNode content = m.get("content");
      if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
        throw AdminErrors.badRequest(param + ".content must be a string or an array of parts", param + ".content");
      }
      parsed.add(new ChatMessage(m.get("role").asText(), plain(content), text(m, "name"), text(m, "tool_call_id"),
          plain(m.get("tool_calls"))));
    }
    Map<String, Object> extra = new HashMap<>();
    body.fields().forEachRemaining(e -> {
      if (!TYPED.contains(e.getKey())) {
        extra.put(e.getKey(), plain(e.getValue()));
      }
    });
    List<String> stop = null;
    JsonNode s = body.get("stop");
    if (s != null && s.isTextual()) {
      stop = List.of(s.asText());
    } else if (s != null && s.isArray()) {
      stop = new ArrayList<>();
      for (JsonNode one : s) {
        stop.add(one.asText());
      }
    }
    return new ChatRequest(model, parsed, false, false, integer(body, "max_tokens"), number(body, "temperature"),
        number(body, "top_p"), integer(body, "n"), stop, text(body, "user"), extra,
        integer(body, "max_completion_tokens"));
  }

  private static Object plain(JsonNode node) {
    return node == null || node.isNull() ? null : AdminJson.JSON.convertValue(node, Object.class);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw AdminErrors.badRequest("'" + field + "' must be a string", field);
    }
    return v.asText();
  }

  private static Integer integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
      throw AdminErrors.badRequest("'" + field + "' must be a positive integer", field);
    }
    return v.asInt();
  }

  private static Double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw AdminErrors.badRequest("'" + field + "' must be a number", field);
    }
    return v.asDouble();
  }
}
