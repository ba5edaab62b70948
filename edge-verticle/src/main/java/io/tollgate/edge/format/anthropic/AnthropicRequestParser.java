package io.tollgate.edge.format.anthropic;

import static io.tollgate.edge.format.anthropic.AnthropicFields.invalid;
import static io.tollgate.edge.format.anthropic.AnthropicFields.required;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningOptions;
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
 * Parses an Anthropic Messages body ({@code POST /v1/messages}, or {@code count_tokens}, which
 * has no {@code max_tokens}) into the canonical {@link ChatRequest} of dialect
 * {@link Dialect#ANTHROPIC}, once, with Anthropic-style 400s naming the field. Top-level
 * parameters it does not type ({@code service_tier}, {@code container}, {@code mcp_servers} ...)
 * are kept raw in {@code extra}: an Anthropic upstream gets them, any other refuses them by name.
 */
final class AnthropicRequestParser {

  private static final Set<String> TYPED = Set.of("model", "max_tokens", "messages", "system", "stream",
      "stop_sequences", "temperature", "top_p", "top_k", "metadata", "tools", "tool_choice", "thinking");

  private AnthropicRequestParser() {
  }

  /** A Messages request; {@code max_tokens} is required, as Anthropic requires it. */
  static ChatRequest parse(Buffer body) {
    return parse(body, true);
  }

  /** A count_tokens request: the same body without {@code max_tokens}. */
  static ChatRequest parseCount(Buffer body) {
    return parse(body, false);
  }

  private static ChatRequest parse(Buffer body, boolean messagesCall) {
    JsonObject json = JsonFields.object(body);
    String model = AnthropicFields.string(json, "model", "model", true);
    if (model.isBlank()) {
      throw invalid("model", "String should have at least 1 character");
    }
    Integer maxTokens = AnthropicFields.integer(json, "max_tokens", "max_tokens", 1);
    if (maxTokens == null && messagesCall) {
      throw required("max_tokens");
    }
    List<ChatMessage> conversation = AnthropicContent.messages(json.getValue("messages"), false);
    ChatMessage system = AnthropicContent.system(json.getValue("system"));
    List<ChatMessage> messages = conversation;
    if (system != null) {
      messages = new ArrayList<>(conversation.size() + 1);
      messages.add(system);
      messages.addAll(conversation);
    }
    AnthropicTools.Choice choice = AnthropicTools.toolChoice(json.getValue("tool_choice"));
    Map<String, RawJson> extra = null;
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        if (extra == null) {
          extra = new HashMap<>();
        }
        extra.put(e.getKey(), new RawJson(Json.encode(e.getValue())));
      }
    }
    return ChatRequest.builder(model, messages)
        .dialect(Dialect.ANTHROPIC)
        .stream(messagesCall && AnthropicFields.bool(json, "stream", "stream"))
        .maxTokens(maxTokens)
        .temperature(AnthropicFields.number(json, "temperature", 0, 1))
        .topP(AnthropicFields.number(json, "top_p", 0, 1))
        .topK(AnthropicFields.integer(json, "top_k", "top_k", 0))
        .stop(stopSequences(json.getValue("stop_sequences")))
        .tools(AnthropicTools.tools(json.getValue("tools")))
        .toolChoice(choice.choice())
        .parallelToolCalls(choice.parallelToolCalls())
        .reasoning(thinking(json.getValue("thinking")))
        .metadata(metadata(json.getValue("metadata")))
        .extra(extra)
        .build();
  }

  private static List<String> stopSequences(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("stop_sequences", "Input should be a valid list");
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw invalid("stop_sequences." + i, "Input should be a valid string");
      }
      out.add(s);
    }
    return out;
  }

  /** {@code {"type":"enabled","budget_tokens":N}} or {@code {"type":"disabled"}}. */
  private static ReasoningOptions thinking(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o)) {
      throw invalid("thinking", "Input should be a valid dictionary");
    }
    Object type = o.getValue("type");
    if ("disabled".equals(type)) {
      return new ReasoningOptions(null, null, false);
    }
    if (!"enabled".equals(type)) {
      throw invalid("thinking.type", "Input should be 'enabled' or 'disabled'");
    }
    Integer budget = AnthropicFields.integer(o, "budget_tokens", "thinking.budget_tokens", 1);
    if (budget == null) {
      throw required("thinking.budget_tokens");
    }
    return new ReasoningOptions(null, budget, true);
  }

  /** Anthropic's metadata has one field, {@code user_id}; it becomes metadata "user_id". */
  private static Map<String, String> metadata(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o)) {
      throw invalid("metadata", "Input should be a valid dictionary");
    }
    for (String key : o.fieldNames()) {
      if (!key.equals("user_id")) {
        throw invalid("metadata." + key, "Extra inputs are not permitted");
      }
    }
    String userId = AnthropicFields.string(o, "user_id", "metadata.user_id", false);
    return userId == null ? null : Map.of("user_id", userId);
  }
}
