package io.tollgate.connector.gemini;

import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningOptions;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.tollgate.connector.Untranslatable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The canonical {@link ChatRequest} to a Gemini {@code GenerateContentRequest} (generativelanguage
 * v1beta): {@code contents} and {@code systemInstruction} ({@link GeminiContents}),
 * {@code tools[].functionDeclarations} with cleaned schemas ({@link GeminiSchemas}),
 * {@code toolConfig.functionCallingConfig} and {@code generationConfig}.
 *
 * <p>Mappings that are not one to one: tool choice required is mode {@code ANY}, a named tool is
 * {@code ANY} with {@code allowedFunctionNames}; {@code parallel_tool_calls}, {@code user} and
 * {@code metadata} have no Gemini equivalent and are not sent; a reasoning budget is
 * {@code thinkingConfig.thinkingBudget}, an effort is a budget ({@link #THINKING_BUDGETS}),
 * thinking turned off is budget 0, and thoughts are always asked for ({@code includeThoughts}) so
 * they stream as reasoning. Of OpenAI-only parameters {@code seed}, {@code presence_penalty} and
 * {@code frequency_penalty} have Gemini fields; any other is refused with a 400 naming it.
 */
public final class GeminiRequestMapper {

  /** Thinking tokens per reasoning effort (Gemini 2.5 takes a budget, not an effort). */
  public static final Map<String, Integer> THINKING_BUDGETS = Map.of(
      "minimal", 0, "low", 1024, "medium", 8192, "high", 24576);

  /** OpenAI parameters Gemini has under another name in {@code generationConfig}. */
  private static final Map<String, String> GENERATION_EXTRAS = Map.of(
      "seed", "seed", "presence_penalty", "presencePenalty", "frequency_penalty", "frequencyPenalty");

  private GeminiRequestMapper() {
  }

  public static Buffer toBody(UpstreamCall call) {
    return toJson(call.chat()).toBuffer();
  }

  public static JsonObject toJson(ChatRequest chat) {
    JsonObject body = new JsonObject();
    GeminiContents contents = GeminiContents.of(chat.messages());
    body.put("contents", contents.contents());
    JsonObject system = contents.systemInstruction();
    if (system != null) {
      body.put("systemInstruction", system);
    }
    JsonArray declarations = declarations(chat);
    if (!declarations.isEmpty()) {
      body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
    }
    if (chat.toolChoice() != null) {
      body.put("toolConfig", new JsonObject().put("functionCallingConfig", functionCalling(chat.toolChoice())));
    }
    JsonObject generation = generationConfig(chat);
    if (!generation.isEmpty()) {
      body.put("generationConfig", generation);
    }
    return body;
  }

  private static JsonArray declarations(ChatRequest chat) {
    JsonArray out = new JsonArray();
    for (Tool t : chat.tools()) {
      if (!t.isFunction()) {
        throw Untranslatable.part(t.opaque(), GeminiContents.UPSTREAM);
      }
      JsonObject fn = new JsonObject().put("name", t.name());
      if (t.description() != null) {
        fn.put("description", t.description());
      }
      if (t.parameters() != null) {
        JsonObject params = GeminiSchemas.clean(GeminiContents.object(t.parameters(), "tool parameters"));
        // Gemini refuses an object schema without properties; a function without arguments has none.
        if (!isEmptyObjectSchema(params)) {
          fn.put("parameters", params);
        }
      }
      out.add(fn);
    }
    return out;
  }

  private static boolean isEmptyObjectSchema(JsonObject schema) {
    JsonObject props = schema.getJsonObject("properties");
    return "object".equals(schema.getValue("type")) && (props == null || props.isEmpty());
  }

  static JsonObject functionCalling(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> new JsonObject().put("mode", "AUTO");
      case NONE -> new JsonObject().put("mode", "NONE");
      case REQUIRED -> new JsonObject().put("mode", "ANY");
      case NAMED -> new JsonObject().put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add(choice.name()));
    };
  }

  private static JsonObject generationConfig(ChatRequest chat) {
    JsonObject g = new JsonObject();
    for (Map.Entry<String, RawJson> e : chat.extra().entrySet()) {
      String name = GENERATION_EXTRAS.get(e.getKey());
      if (name == null) {
        throw Untranslatable.parameter(e.getKey(), chat.dialect(), GeminiContents.UPSTREAM);
      }
      g.put(name, Json.decodeValue(e.getValue().json()));
    }
    putIfSet(g, "temperature", chat.temperature());
    putIfSet(g, "topP", chat.topP());
    putIfSet(g, "topK", chat.topK());
    putIfSet(g, "maxOutputTokens", chat.completionLimit());
    if (chat.stop() != null && !chat.stop().isEmpty()) {
      g.put("stopSequences", new JsonArray(chat.stop()));
    }
    putIfSet(g, "candidateCount", chat.n());
    ResponseFormat format = chat.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      g.put("responseMimeType", "application/json");
      if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
        g.put("responseSchema", GeminiSchemas.clean(GeminiContents.object(format.schema(), "response schemas")));
      }
    }
    JsonObject thinking = thinkingConfig(chat.reasoning());
    if (thinking != null) {
      g.put("thinkingConfig", thinking);
    }
    return g;
  }

  static JsonObject thinkingConfig(ReasoningOptions reasoning) {
    if (reasoning == null) {
      return null;
    }
    if (!reasoning.enabled()) {
      return new JsonObject().put("thinkingBudget", 0);
    }
    Integer budget = reasoning.budgetTokens();
    if (budget == null && reasoning.effort() != null) {
      budget = THINKING_BUDGETS.get(reasoning.effort());
      if (budget == null) {
        throw Untranslatable.because("the reasoning effort '" + reasoning.effort() + "' has no Gemini thinking budget");
      }
    }
    JsonObject config = new JsonObject().put("includeThoughts", budget == null || budget > 0);
    if (budget != null) {
      config.put("thinkingBudget", budget);
    }
    return config;
  }

  private static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
