package io.tollgate.edge.format.responses;

import static io.tollgate.edge.format.JsonFields.bool;
import static io.tollgate.edge.format.JsonFields.invalid;
import static io.tollgate.edge.format.JsonFields.number;
import static io.tollgate.edge.format.JsonFields.positiveInt;
import static io.tollgate.edge.format.JsonFields.string;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningOptions;
import io.tollgate.api.chat.Role;
import io.tollgate.edge.format.OpenAiFields;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses an OpenAI Responses body into the canonical {@link ChatRequest} (dialect
 * {@link Dialect#OPENAI_RESPONSES}) with OpenAI-style 400s naming the field. {@code instructions}
 * become a leading system message; the items of a previous response (when the client continued
 * one) come before this request's {@code input}.
 *
 * <p>Some fields are the gateway's own business and never reach an upstream: {@code store},
 * {@code previous_response_id}, {@code include} (what to put in the answer), and hints that do
 * not change what is asked ({@code prompt_cache_key}, {@code truncation}, {@code text.verbosity},
 * {@code stream_options}). Everything else unknown is kept in {@code extra}, so an upstream that
 * cannot take it refuses it by name.
 */
public final class ResponsesRequestParser {

  private static final Set<String> TYPED = Set.of("model", "input", "instructions", "stream", "max_output_tokens",
      "temperature", "top_p", "user", "tools", "tool_choice", "parallel_tool_calls", "reasoning", "text",
      "metadata", "store", "previous_response_id", "include", "prompt_cache_key", "truncation", "stream_options",
      "background");

  private ResponsesRequestParser() {
  }

  /** The {@code previous_response_id} of a body, checked, before the whole body is parsed. */
  public static String previousResponseId(JsonObject json) {
    return string(json, "previous_response_id", false);
  }

  /**
   * @param previous the conversation items of the response being continued (its input and output),
   *                 empty when none
   */
  public static ResponsesRequest parse(JsonObject json, JsonArray previous) {
    String model = string(json, "model", true);
    String instructions = string(json, "instructions", false);
    if (bool(json, "background")) {
      throw invalid("background", "background responses are not supported by this gateway");
    }
    JsonArray input = input(json.getValue("input"));
    JsonArray conversation = previous.copy().addAll(input);
    List<ChatMessage> messages = new ArrayList<>();
    if (instructions != null) {
      messages.add(ChatMessage.of(Role.SYSTEM, instructions));
    }
    ResponsesItems.messages(previous, "previous_response_id", messages);
    ResponsesItems.messages(input, "input", messages);
    if (messages.isEmpty()) {
      throw invalid("input", "must contain at least one item");
    }
    Object store = json.getValue("store");
    if (store != null && !(store instanceof Boolean)) {
      throw invalid("store", "must be a boolean");
    }
    Object include = json.getValue("include");
    if (include != null && !(include instanceof JsonArray)) {
      throw invalid("include", "must be an array of strings");
    }
    Object parallel = json.getValue("parallel_tool_calls");
    if (parallel != null && !(parallel instanceof Boolean)) {
      throw invalid("parallel_tool_calls", "must be a boolean");
    }
    Map<String, RawJson> extra = new HashMap<>();
    for (Map.Entry<String, Object> e : json) {
      if (!TYPED.contains(e.getKey()) && e.getValue() != null) {
        extra.put(e.getKey(), new RawJson(Json.encode(e.getValue())));
      }
    }
    ChatRequest chat = ChatRequest.builder(model, messages)
        .dialect(Dialect.OPENAI_RESPONSES)
        .stream(bool(json, "stream"))
        // Responses' max_output_tokens counts reasoning tokens too, like chat's max_completion_tokens.
        .maxCompletionTokens(positiveInt(json, "max_output_tokens"))
        .temperature(number(json, "temperature", 0, 2))
        .topP(number(json, "top_p", 0, 1))
        .user(string(json, "user", false))
        .tools(ResponsesTools.tools(json.getValue("tools")))
        .toolChoice(ResponsesTools.toolChoice(json.getValue("tool_choice")))
        .parallelToolCalls((Boolean) parallel)
        .responseFormat(ResponsesTools.format(json.getValue("text")))
        .reasoning(reasoning(json.getValue("reasoning")))
        .metadata(OpenAiFields.metadata(json.getValue("metadata")))
        .extra(extra)
        .build();
    JsonObject echo = new JsonObject();
    for (String field : List.of("tools", "tool_choice", "text", "reasoning", "metadata", "parallel_tool_calls",
        "max_output_tokens", "temperature", "top_p", "user", "truncation")) {
      if (json.getValue(field) != null) {
        echo.put(field, json.getValue(field));
      }
    }
    return new ResponsesRequest(chat, instructions, store == null || (Boolean) store, previousResponseId(json),
        conversation, echo);
  }

  /** {@code input}: a string (one user message) or an array of items; the string is kept as an item. */
  private static JsonArray input(Object value) {
    if (value instanceof String s) {
      return new JsonArray().add(new JsonObject().put("role", "user").put("content", s));
    }
    if (value instanceof JsonArray a) {
      return a;
    }
    throw value == null ? invalid("input", "is required") : invalid("input", "must be a string or an array of items");
  }

  private static ReasoningOptions reasoning(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject r)) {
      throw invalid("reasoning", "must be an object");
    }
    String effort = string(r, "effort", false);
    return effort == null ? null : new ReasoningOptions(effort, null, true);
  }
}
