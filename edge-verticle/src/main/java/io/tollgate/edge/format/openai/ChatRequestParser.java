package io.tollgate.edge.format.openai;

import static io.tollgate.edge.format.JsonFields.bool;
import static io.tollgate.edge.format.JsonFields.invalid;
import static io.tollgate.edge.format.JsonFields.number;
import static io.tollgate.edge.format.JsonFields.positiveInt;
import static io.tollgate.edge.format.JsonFields.stop;
import static io.tollgate.edge.format.JsonFields.string;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningOptions;
import io.tollgate.api.chat.Role;
import io.tollgate.edge.format.JsonFields;
import io.tollgate.edge.format.OpenAiFields;
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
 * Parses an OpenAI chat completion body into the canonical {@link ChatRequest}, once, with
 * OpenAI-style validation messages naming the offending field. Tool messages become
 * {@link Role#TOOL} messages with a tool-result part, an assistant's {@code tool_calls} become
 * tool-use parts. The legacy {@code function} role (replaced by {@code tool} in 2023) is refused.
 */
final class ChatRequestParser {

  /** Top-level fields read into typed fields; everything else goes to {@code extra}. */
  private static final Set<String> TYPED = Set.of("model", "messages", "stream", "stream_options",
      "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "user", "tools", "tool_choice",
      "parallel_tool_calls", "response_format", "reasoning_effort", "metadata");
  /**
   * Most choices one request may ask for: OpenAI's own maximum for {@code n}. Without it a client
   * could make a connector (the mock allocates per choice) or the admission estimate scale with
   * any number it writes.
   */
  static final int MAX_CHOICES = 128;
  private static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool");

  private ChatRequestParser() {
  }

  static ChatRequest parse(Buffer body) {
    JsonObject json = JsonFields.object(body);
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
    Integer n = positiveInt(json, "n");
    if (n != null && n > MAX_CHOICES) {
      throw invalid("n", "must be at most " + MAX_CHOICES);
    }
    Map<String, RawJson> extra = new HashMap<>();
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        extra.put(e.getKey(), new RawJson(io.vertx.core.json.Json.encode(e.getValue())));
      }
    }
    Object parallel = json.getValue("parallel_tool_calls");
    if (parallel != null && !(parallel instanceof Boolean)) {
      throw invalid("parallel_tool_calls", "must be a boolean");
    }
    String effort = string(json, "reasoning_effort", false);
    return ChatRequest.builder(model, messages)
        .dialect(Dialect.OPENAI_CHAT)
        .stream(stream)
        .includeUsage(includeUsage)
        .maxTokens(positiveInt(json, "max_tokens"))
        .maxCompletionTokens(positiveInt(json, "max_completion_tokens"))
        .temperature(number(json, "temperature", 0, 2))
        .topP(number(json, "top_p", 0, 1))
        .n(n)
        .stop(stop(json.getValue("stop")))
        .user(string(json, "user", false))
        .tools(OpenAiChatTools.tools(json.getValue("tools")))
        .toolChoice(OpenAiChatTools.toolChoice(json.getValue("tool_choice")))
        .parallelToolCalls((Boolean) parallel)
        .responseFormat(OpenAiChatTools.responseFormat(json.getValue("response_format")))
        .reasoning(effort == null ? null : new ReasoningOptions(effort, null, true))
        .metadata(OpenAiFields.metadata(json.getValue("metadata")))
        .extra(extra)
        .build();
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
      Object roleValue = m.getValue("role");
      Role role = roleValue instanceof String r ? Role.fromWire(r) : null;
      if (role == null) {
        throw invalid(field + ".role", "must be one of " + ROLES);
      }
      Object name = m.getValue("name");
      if (name != null && !(name instanceof String)) {
        throw invalid(field + ".name", "must be a string");
      }
      List<ContentPart> parts = OpenAiChatContent.parts(m.getValue("content"), field + ".content");
      if (role == Role.TOOL) {
        Object id = m.getValue("tool_call_id");
        if (!(id instanceof String toolCallId)) {
          throw invalid(field + ".tool_call_id", "is required for tool messages");
        }
        parts = List.of(new ContentPart.ToolResult(toolCallId, parts, false, null));
      } else if (role == Role.ASSISTANT && m.getValue("tool_calls") != null) {
        List<ContentPart> withCalls = new ArrayList<>(parts);
        withCalls.addAll(OpenAiChatContent.toolCalls(m.getValue("tool_calls"), field + ".tool_calls"));
        parts = withCalls;
      }
      out.add(new ChatMessage(role, parts, (String) name));
    }
    return out;
  }

}
