package io.tollgate.connector.anthropic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Dialect;
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
import java.util.Set;

/**
 * The canonical {@link ChatRequest} to an Anthropic Messages request. Every call streams,
 * whatever the client asked: the connector relays events (the edge aggregates them for
 * non-streaming clients) and the stream's usage is exact.
 *
 * <p>{@code max_tokens} is required by Anthropic: the client's limit, else the deployment's
 * {@code default_max_tokens}, else {@link #DEFAULT_MAX_TOKENS}. A reasoning effort becomes a
 * thinking budget ({@link #budgetFor}); Anthropic counts thinking in {@code max_tokens}, so a
 * budget that does not fit under a client's limit is cut to it, and without a client limit the
 * limit grows by the budget. From another dialect: parameters only that dialect knows are refused
 * with a 400 naming them, except a few that change nothing about the answer
 * ({@link #DROPPED_OPENAI}); {@code n > 1} and a JSON response format are refused (Anthropic
 * answers with one choice and has no JSON mode), as is a temperature above Anthropic's maximum of
 * 1; a tool's {@code strict} flag and an image's {@code detail} are dropped.
 */
public final class AnthropicRequestMapper {

  /** The completion limit sent when neither the client nor the deployment set one. */
  public static final int DEFAULT_MAX_TOKENS = 4096;
  /** Anthropic's smallest thinking budget. */
  public static final int MIN_THINKING_BUDGET = 1024;
  /** OpenAI chat parameters about storage, routing or abuse tracking: dropped, the answer is the same. */
  static final Set<String> DROPPED_OPENAI = Set.of("store", "prompt_cache_key", "safety_identifier", "service_tier");

  private static final String UPSTREAM = "anthropic";

  private AnthropicRequestMapper() {
  }

  public static Buffer toBody(UpstreamCall call) {
    return toJson(call).toBuffer();
  }

  public static JsonObject toJson(UpstreamCall call) {
    ChatRequest chat = call.chat();
    JsonObject body = new JsonObject();
    // Pass-through parameters first, so the typed ones below win on a clash.
    for (Map.Entry<String, RawJson> e : chat.extra().entrySet()) {
      if (chat.dialect() == Dialect.ANTHROPIC) {
        body.put(e.getKey(), Json.decodeValue(e.getValue().json()));
      } else if (!(chat.dialect() == Dialect.OPENAI_CHAT && DROPPED_OPENAI.contains(e.getKey()))) {
        throw Untranslatable.parameter(e.getKey(), chat.dialect(), UPSTREAM);
      }
    }
    if (chat.choices() > 1) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST,
          "The parameter 'n' must be 1 for this model: its anthropic upstream answers with one choice.", "n");
    }
    if (chat.responseFormat() != null && chat.responseFormat().type() != ResponseFormat.Type.TEXT) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST, "The parameter 'response_format' ("
          + chat.responseFormat().type().name().toLowerCase() + ") cannot be sent to this model's anthropic upstream,"
          + " which has no JSON mode; describe the format in the prompt or use a tool instead.", "response_format");
    }
    if (chat.temperature() != null && chat.temperature() > 1) {
      // OpenAI's range is 0..2, Anthropic's 0..1: scaling would change the meaning, the upstream would say only "400".
      throw new GatewayException(ErrorCode.INVALID_REQUEST, "The parameter 'temperature' must be between 0 and 1"
          + " for this model's anthropic upstream.", "temperature");
    }
    String upstreamModel = call.deployment().upstreamModel();
    body.put("model", upstreamModel != null && !upstreamModel.isBlank() ? upstreamModel : call.model());
    Object system = AnthropicMessages.system(chat.messages());
    if (system != null) {
      body.put("system", system);
    }
    body.put("messages", AnthropicMessages.messages(chat.messages()));
    Integer clientLimit = chat.completionLimit();
    int maxTokens = clientLimit != null ? clientLimit
        : call.deployment().defaultMaxTokens() != null ? call.deployment().defaultMaxTokens() : DEFAULT_MAX_TOKENS;
    Integer budget = budget(chat.reasoning());
    if (budget != null) {
      if (budget >= maxTokens) {
        if (clientLimit != null) {
          budget = maxTokens - 1;
        } else {
          maxTokens = budget + maxTokens;
        }
      }
      if (budget < MIN_THINKING_BUDGET) {
        throw new GatewayException(ErrorCode.INVALID_REQUEST, "Reasoning on this model's anthropic upstream needs a"
            + " completion limit above " + MIN_THINKING_BUDGET + " tokens (thinking counts in it).", "max_tokens");
      }
    }
    body.put("max_tokens", maxTokens);
    if (chat.stop() != null && !chat.stop().isEmpty()) {
      body.put("stop_sequences", new JsonArray(chat.stop()));
    }
    putIfSet(body, "temperature", chat.temperature());
    putIfSet(body, "top_p", chat.topP());
    putIfSet(body, "top_k", chat.topK());
    String userId = chat.metadata().getOrDefault("user_id", chat.user());
    if (userId != null) {
      body.put("metadata", new JsonObject().put("user_id", userId));
    }
    if (!chat.tools().isEmpty()) {
      body.put("tools", tools(chat));
    }
    JsonObject choice = toolChoice(chat);
    if (choice != null) {
      body.put("tool_choice", choice);
    }
    if (budget != null) {
      body.put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", budget));
    }
    body.put("stream", true);
    return body;
  }

  private static Integer budget(ReasoningOptions reasoning) {
    if (reasoning == null || !reasoning.enabled()) {
      return null;
    }
    if (reasoning.budgetTokens() != null) {
      return reasoning.budgetTokens();
    }
    return budgetFor(reasoning.effort());
  }

  /**
   * An OpenAI reasoning effort as an Anthropic thinking budget: minimal 1024 (Anthropic's
   * minimum), low 2048, medium 8192, high 16384; "none" (and unknown words) turns thinking off.
   */
  static Integer budgetFor(String effort) {
    if (effort == null) {
      return null;
    }
    return switch (effort) {
      case "minimal" -> MIN_THINKING_BUDGET;
      case "low" -> 2048;
      case "medium" -> 8192;
      case "high" -> 16384;
      default -> null;
    };
  }

  private static JsonArray tools(ChatRequest chat) {
    JsonArray out = new JsonArray();
    for (Tool t : chat.tools()) {
      if (!t.isFunction()) {
        if (t.opaque().dialect() != Dialect.ANTHROPIC) {
          throw Untranslatable.part(t.opaque(), UPSTREAM);
        }
        out.add(new JsonObject(t.opaque().json().json()));
        continue;
      }
      JsonObject tool = new JsonObject().put("name", t.name());
      putIfSet(tool, "description", t.description());
      tool.put("input_schema", t.parameters() == null
          ? new JsonObject().put("type", "object").put("properties", new JsonObject())
          : new JsonObject(t.parameters().json()));
      out.add(AnthropicMessages.cached(tool, t.cache()));
    }
    return out;
  }

  /** auto / any / tool / none; parallel calls switched off rides on the choice (auto when none was given). */
  static JsonObject toolChoice(ChatRequest chat) {
    ToolChoice choice = chat.toolChoice();
    boolean noParallel = Boolean.FALSE.equals(chat.parallelToolCalls()) && !chat.tools().isEmpty();
    if (choice == null && !noParallel) {
      return null;
    }
    ToolChoice.Mode mode = choice == null ? ToolChoice.Mode.AUTO : choice.mode();
    JsonObject out = switch (mode) {
      case AUTO -> new JsonObject().put("type", "auto");
      case NONE -> new JsonObject().put("type", "none");
      case REQUIRED -> new JsonObject().put("type", "any");
      case NAMED -> new JsonObject().put("type", "tool").put("name", choice.name());
    };
    if (noParallel && mode != ToolChoice.Mode.NONE) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  private static void putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
