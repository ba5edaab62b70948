package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.connector.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

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

  /** One {@code chat.completion.chunk}; empty deltas (no role, content, tool calls, reasoning or finish) are dropped. */
  public static Mapped chunk(JsonObject chunk) {
    failOnError(chunk);
    JsonArray choices = chunk.getJsonArray("choices");
    List<ChoiceDelta> deltas = new ArrayList<>(choices == null ? 0 : choices.size());
    if (choices != null) {
      for (int i = 0; i < choices.size(); i++) {
        JsonObject choice = choices.getJsonObject(i);
        JsonObject delta = choice.getJsonObject("delta");
        ChoiceDelta d = delta(choice.getInteger("index", i), delta, choice.getString("finish_reason"), false);
        if (!d.isEmpty()) {
          deltas.add(d);
        }
      }
    }
    JsonObject usage = chunk.getJsonObject("usage");
    if (usage == null && chunk.getValue("x_groq") instanceof JsonObject groq) {
      // Groq reports a stream's usage in its own x_groq object of the last chunk.
      usage = groq.getJsonObject("usage");
    }
    return new Mapped(deltas, usage(usage));
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
      ChoiceDelta d = delta(choice.getInteger("index", i), message, choice.getString("finish_reason"), true);
      deltas.add(d.role() != null ? d : new ChoiceDelta(d.index(), "assistant", d.content(), d.toolCalls(),
          d.finishReason(), d.reasoning(), d.stopSequence()));
    }
    return new Mapped(deltas, usage(completion.getJsonObject("usage")));
  }

  /**
   * A delta or a whole message. Reasoning comes as {@code reasoning_content} (DeepSeek, vLLM) or
   * {@code reasoning} (OpenRouter, Ollama); a refusal is text the client should see.
   */
  private static ChoiceDelta delta(int index, JsonObject delta, String finish, boolean whole) {
    if (delta == null) {
      return new ChoiceDelta(index, null, null, null, FinishReason.fromOpenAi(finish));
    }
    String content = delta.getString("content");
    if (content == null && delta.getValue("refusal") instanceof String refusal) {
      content = refusal;
    }
    String reasoning = delta.getValue("reasoning_content") instanceof String r ? r
        : delta.getValue("reasoning") instanceof String r2 ? r2 : null;
    return new ChoiceDelta(index, delta.getString("role"), content, toolCalls(delta.getJsonArray("tool_calls")),
        FinishReason.fromOpenAi(finish), reasoning == null ? null : new ReasoningDelta(reasoning, null, null), null);
  }

  /** Tool-call pieces; whole-message calls have no index, so their position is it. */
  private static List<ToolCallDelta> toolCalls(JsonArray calls) {
    if (calls == null || calls.isEmpty()) {
      return null;
    }
    List<ToolCallDelta> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      JsonObject call = calls.getJsonObject(i);
      JsonObject fn = call.getJsonObject("function");
      Integer index = call.getInteger("index");
      out.add(new ToolCallDelta(index == null ? i : index, call.getString("id"),
          fn == null ? null : fn.getString("name"), fn == null ? null : fn.getString("arguments")));
    }
    return out;
  }

  /**
   * OpenAI usage, including cached prompt and reasoning tokens; null in, null out. DeepSeek's
   * {@code prompt_cache_hit_tokens} count as cached tokens when OpenAI's field is absent.
   */
  public static Usage usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    JsonObject promptDetails = usage.getJsonObject("prompt_tokens_details");
    JsonObject completionDetails = usage.getJsonObject("completion_tokens_details");
    return new Usage(
        longOf(usage, "prompt_tokens"),
        longOf(usage, "completion_tokens"),
        promptDetails != null && promptDetails.getValue("cached_tokens") != null
            ? longOf(promptDetails, "cached_tokens")
            // DeepSeek counts its context-cache hits in its own field.
            : longOf(usage, "prompt_cache_hit_tokens"),
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
  static void failOnError(JsonObject json) {
    if (json.getValue("error") != null) {
      throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream reported an error in its response");
    }
  }

  private static long longOf(JsonObject json, String key) {
    Number n = json.getNumber(key);
    return n == null ? 0 : Math.max(0, n.longValue());
  }
}
