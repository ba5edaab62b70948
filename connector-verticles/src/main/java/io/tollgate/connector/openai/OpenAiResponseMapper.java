package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.connector.PlainJson;
import io.tollgate.connector.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI wire format to the gateway's types: {@code chat.completion.chunk} events, a whole
 * {@code chat.completion} (an upstream that ignored {@code stream: true}), usage objects and
 * error envelopes. Malformed input throws (ClassCastException, DecodeException ...); callers turn
 * that into a malformed-stream failure.
 */
public final class OpenAiResponseMapper {

  /** The choices and usage found in one upstream message; usage is null when it had none. */
  public record Mapped(List<ChoiceDelta> deltas, Usage usage) {
  }

  private OpenAiResponseMapper() {
  }

  /** One {@code chat.completion.chunk}; empty deltas (no role, content, tool calls or finish) are dropped. */
  public static Mapped chunk(JsonObject chunk) {
    failOnError(chunk);
    JsonArray choices = chunk.getJsonArray("choices");
    List<ChoiceDelta> deltas = new ArrayList<>(choices == null ? 0 : choices.size());
    if (choices != null) {
      for (int i = 0; i < choices.size(); i++) {
        JsonObject choice = choices.getJsonObject(i);
        JsonObject delta = choice.getJsonObject("delta");
        String role = delta == null ? null : delta.getString("role");
        String content = delta == null ? null : delta.getString("content");
        Object toolCalls = delta == null ? null : PlainJson.plain(delta.getJsonArray("tool_calls"));
        String finish = choice.getString("finish_reason");
        if (role != null || content != null || toolCalls != null || finish != null) {
          deltas.add(new ChoiceDelta(choice.getInteger("index", i), role, content, toolCalls, finish));
        }
      }
    }
    return new Mapped(deltas, usage(chunk.getJsonObject("usage")));
  }

  /** A whole {@code chat.completion}: one delta per choice carrying its full message. */
  public static Mapped completion(JsonObject completion) {
    failOnError(completion);
    JsonArray choices = completion.getJsonArray("choices");
    if (choices == null) {
      throw new IllegalArgumentException("completion without choices");
    }
    List<ChoiceDelta> deltas = new ArrayList<>(choices.size());
    for (int i = 0; i < choices.size(); i++) {
      JsonObject choice = choices.getJsonObject(i);
      JsonObject message = choice.getJsonObject("message");
      String role = message == null ? "assistant" : message.getString("role", "assistant");
      String content = message == null ? null : message.getString("content");
      Object toolCalls = message == null ? null : indexed(message.getJsonArray("tool_calls"));
      deltas.add(new ChoiceDelta(choice.getInteger("index", i), role, content, toolCalls,
          choice.getString("finish_reason")));
    }
    return new Mapped(deltas, usage(completion.getJsonObject("usage")));
  }

  /** OpenAI usage, including cached prompt and reasoning tokens; null in, null out. */
  public static Usage usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    JsonObject promptDetails = usage.getJsonObject("prompt_tokens_details");
    JsonObject completionDetails = usage.getJsonObject("completion_tokens_details");
    return new Usage(
        longOf(usage, "prompt_tokens"),
        longOf(usage, "completion_tokens"),
        promptDetails == null ? 0 : longOf(promptDetails, "cached_tokens"),
        completionDetails == null ? 0 : longOf(completionDetails, "reasoning_tokens"),
        false);
  }

  /**
   * The message of an error body: OpenAI's {@code {"error":{"message":...}}}, the
   * {@code {"error":"..."}} some compatible servers send, FastAPI's {@code detail}, or the raw text.
   */
  public static String errorMessage(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    String text = body.toString();
    try {
      JsonObject json = new JsonObject(text);
      Object error = json.getValue("error");
      if (error instanceof JsonObject e && e.getValue("message") != null) {
        return String.valueOf(e.getValue("message"));
      }
      if (error instanceof String s) {
        return s;
      }
      for (String key : new String[] {"message", "detail"}) {
        if (json.getValue(key) instanceof String s) {
          return s;
        }
      }
    } catch (RuntimeException notJson) {
      // Not JSON (a proxy's HTML page, plain text): the text itself is the best we have.
    }
    return UpstreamErrors.shorten(text);
  }

  /** The upstream's words stay out of the message (it may reach the client); the caller logs them. */
  private static void failOnError(JsonObject json) {
    if (json.getValue("error") != null) {
      throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream reported an error in its response");
    }
  }

  /** Whole-message tool calls have no index; the edge merges tool-call deltas by it. */
  private static Object indexed(JsonArray toolCalls) {
    if (toolCalls == null) {
      return null;
    }
    List<Object> out = new ArrayList<>(toolCalls.size());
    for (int i = 0; i < toolCalls.size(); i++) {
      Object call = PlainJson.plain(toolCalls.getValue(i));
      if (call instanceof Map<?, ?> m && !m.containsKey("index")) {
        Map<String, Object> withIndex = new LinkedHashMap<>();
        withIndex.put("index", i);
        m.forEach((k, v) -> withIndex.put(String.valueOf(k), v));
        call = withIndex;
      }
      out.add(call);
    }
    return out;
  }

  private static long longOf(JsonObject json, String key) {
    Number n = json.getNumber(key);
    return n == null ? 0 : Math.max(0, n.longValue());
  }
}
