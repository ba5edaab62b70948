package io.tollgate.connector.openai;

import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's {@link ChatRequest} back to OpenAI JSON. Every call streams with usage included,
 * whatever the client asked: the connector always relays chunks (the edge aggregates them for
 * non-streaming clients) and exact usage is what billing needs. {@code max_tokens} and
 * {@code max_completion_tokens} go up as the client sent them (OpenAI's reasoning models refuse
 * {@code max_tokens}), unless the deployment's {@code max_tokens_field} names one for both
 * (vLLM, Ollama and older servers know only {@code max_tokens}).
 */
public final class OpenAiRequestMapper {

  private OpenAiRequestMapper() {
  }

  public static Buffer toBody(UpstreamCall call) {
    return toJson(call).toBuffer();
  }

  public static JsonObject toJson(UpstreamCall call) {
    ChatRequest chat = call.chat();
    JsonObject body = new JsonObject();
    // Pass-through parameters first, so the typed ones below win on a clash.
    chat.extra().forEach(body::put);
    String upstreamModel = call.deployment().upstreamModel();
    body.put("model", upstreamModel != null && !upstreamModel.isBlank() ? upstreamModel : call.model());
    JsonArray messages = new JsonArray();
    for (ChatMessage m : chat.messages()) {
      messages.add(message(m));
    }
    body.put("messages", messages);
    putIfSet(body, "temperature", chat.temperature());
    putIfSet(body, "top_p", chat.topP());
    putIfSet(body, "n", chat.n());
    putIfSet(body, "stop", chat.stop());
    putIfSet(body, "user", chat.user());
    switch (call.deployment().maxTokensField()) {
      case MAX_TOKENS -> putIfSet(body, "max_tokens", chat.completionLimit());
      case MAX_COMPLETION_TOKENS -> putIfSet(body, "max_completion_tokens", chat.completionLimit());
      default -> {
        putIfSet(body, "max_tokens", chat.maxTokens());
        putIfSet(body, "max_completion_tokens", chat.maxCompletionTokens());
      }
    }
    body.put("stream", true);
    body.put("stream_options", new JsonObject().put("include_usage", true));
    return body;
  }

  private static JsonObject message(ChatMessage m) {
    JsonObject json = new JsonObject().put("role", m.role());
    putIfSet(json, "content", m.content());
    putIfSet(json, "name", m.name());
    putIfSet(json, "tool_call_id", m.toolCallId());
    putIfSet(json, "tool_calls", m.toolCalls());
    return json;
  }

  private static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
