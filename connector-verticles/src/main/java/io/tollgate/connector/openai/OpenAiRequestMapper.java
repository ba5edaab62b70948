package io.tollgate.connector.openai;

import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.tollgate.api.config.OpenAiPreset;
import io.tollgate.connector.Untranslatable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The canonical {@link ChatRequest} to OpenAI chat JSON. Every call streams with usage included,
 * whatever the client asked: the connector always relays chunks (the edge aggregates them for
 * non-streaming clients) and exact usage is what billing needs. {@code max_tokens} and
 * {@code max_completion_tokens} go up as the client sent them (OpenAI's reasoning models refuse
 * {@code max_tokens}), unless the deployment's {@code max_tokens_field} names one for both
 * (vLLM, Ollama and older servers know only {@code max_tokens}).
 *
 * <p>From another dialect: {@code top_k} is dropped (it narrows sampling, it does not change what
 * is asked), a thinking budget is not sent (OpenAI chat models take an effort, and most refuse
 * it), reasoning blocks of earlier turns are dropped; parameters and parts only the other dialect
 * knows are refused with a 400 naming them ({@link Untranslatable}).
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
    if (!chat.extra().isEmpty()) {
      if (chat.dialect() != Dialect.OPENAI_CHAT) {
        throw Untranslatable.parameter(chat.extra().keySet().iterator().next(), chat.dialect(), "openai");
      }
      for (Map.Entry<String, RawJson> e : chat.extra().entrySet()) {
        body.put(e.getKey(), Json.decodeValue(e.getValue().json()));
      }
    }
    String upstreamModel = call.deployment().upstreamModel();
    body.put("model", upstreamModel != null && !upstreamModel.isBlank() ? upstreamModel : call.model());
    JsonArray messages = new JsonArray();
    for (ChatMessage m : chat.messages()) {
      OpenAiMessages.add(messages, m);
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
    if (!chat.tools().isEmpty()) {
      body.put("tools", tools(chat));
    }
    if (chat.toolChoice() != null) {
      body.put("tool_choice", toolChoice(chat.toolChoice()));
    }
    putIfSet(body, "parallel_tool_calls", chat.parallelToolCalls());
    if (chat.responseFormat() != null) {
      body.put("response_format", responseFormat(chat.responseFormat()));
    }
    if (chat.reasoning() != null && chat.reasoning().effort() != null) {
      body.put("reasoning_effort", chat.reasoning().effort());
    }
    if (chat.dialect() == Dialect.OPENAI_CHAT && !chat.metadata().isEmpty()) {
      body.put("metadata", new JsonObject(Map.copyOf(chat.metadata())));
    }
    body.put("stream", true);
    OpenAiPreset preset = call.deployment().preset();
    if (preset == null || preset.streamUsage() == OpenAiPreset.StreamUsage.REQUEST) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    } else {
      // The server refuses stream_options (Mistral: 422 extra_forbidden) and reports usage by itself.
      body.remove("stream_options");
    }
    return body;
  }

  private static JsonArray tools(ChatRequest chat) {
    JsonArray out = new JsonArray();
    for (Tool t : chat.tools()) {
      if (!t.isFunction()) {
        if (t.opaque().dialect() != Dialect.OPENAI_CHAT) {
          throw Untranslatable.part(t.opaque(), "openai");
        }
        out.add(new JsonObject(t.opaque().json().json()));
        continue;
      }
      JsonObject fn = new JsonObject().put("name", t.name());
      putIfSet(fn, "description", t.description());
      fn.put("parameters", t.parameters() == null
          ? new JsonObject().put("type", "object").put("properties", new JsonObject())
          : new JsonObject(t.parameters().json()));
      putIfSet(fn, "strict", t.strict());
      out.add(new JsonObject().put("type", "function").put("function", fn));
    }
    return out;
  }

  static Object toolChoice(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> "auto";
      case NONE -> "none";
      case REQUIRED -> "required";
      case NAMED -> new JsonObject().put("type", "function").put("function", new JsonObject().put("name", choice.name()));
    };
  }

  private static JsonObject responseFormat(ResponseFormat f) {
    return switch (f.type()) {
      case TEXT -> new JsonObject().put("type", "text");
      case JSON_OBJECT -> new JsonObject().put("type", "json_object");
      case JSON_SCHEMA -> {
        JsonObject schema = new JsonObject().put("name", f.name());
        if (f.schema() != null) {
          schema.put("schema", new JsonObject(f.schema().json()));
        }
        putIfSet(schema, "strict", f.strict());
        yield new JsonObject().put("type", "json_schema").put("json_schema", schema);
      }
    };
  }

  static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
