package io.tollgate.connector.gemini;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gemini {@code GenerateContentResponse} chunks to the gateway's deltas. One instance per call: it
 * remembers per candidate whether the role was sent and how many function calls came, because
 * Gemini sends each function call whole (arguments as one fragment) and, from AI Studio, without
 * an id: the id is then {@code call_<responseId>_<n>}, unique per answer and the same when the
 * same answer is replayed (a random one when there is no responseId). Gemini ends a turn with tool calls with plain {@code STOP}, which OpenAI
 * clients know as {@code tool_calls}.
 *
 * <p>Finish reasons: STOP is stop (tool_calls after a function call), MAX_TOKENS is length;
 * SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, IMAGE_SAFETY and a prompt blocked by
 * {@code promptFeedback.blockReason} are content_filter; anything else (LANGUAGE, OTHER,
 * MALFORMED_FUNCTION_CALL ...) is stop. Thought parts ({@code "thought": true}) are reasoning.
 * Malformed input throws; the exchange turns that into a malformed-stream failure.
 */
public final class GeminiResponseMapper {

  /** The choices and usage found in one chunk; usage is null when it had none. */
  public record Mapped(List<ChoiceDelta> deltas, Usage usage) {
  }

  private static final class Candidate {
    boolean roleSent;
    int toolCalls;
    boolean finished;
  }

  private final Map<Integer, Candidate> candidates = new HashMap<>();
  private String responseId;
  private int callIds;

  /** Whether every candidate seen so far has a finish reason: what a complete stream ends with. */
  public boolean finished() {
    return !candidates.isEmpty() && candidates.values().stream().allMatch(c -> c.finished);
  }

  public Mapped chunk(JsonObject chunk) {
    failOnError(chunk);
    if (chunk.getValue("responseId") instanceof String id && !id.isBlank()) {
      responseId = id.replaceAll("[^A-Za-z0-9_-]", "_");
    }
    List<ChoiceDelta> deltas = new ArrayList<>();
    JsonArray list = chunk.getJsonArray("candidates");
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        candidate(list.getJsonObject(i), i, deltas);
      }
    }
    JsonObject feedback = chunk.getJsonObject("promptFeedback");
    if ((list == null || list.isEmpty()) && feedback != null && feedback.getString("blockReason") != null) {
      Candidate first = candidates.computeIfAbsent(0, k -> new Candidate());
      deltas.add(new ChoiceDelta(0, first.roleSent ? null : "assistant", null, null, FinishReason.CONTENT_FILTER));
      first.roleSent = true;
      first.finished = true;
    }
    return new Mapped(deltas, usage(chunk.getJsonObject("usageMetadata")));
  }

  private void candidate(JsonObject c, int position, List<ChoiceDelta> out) {
    int index = c.getInteger("index", position);
    Candidate state = candidates.computeIfAbsent(index, k -> new Candidate());
    JsonObject content = c.getJsonObject("content");
    JsonArray parts = content == null ? null : content.getJsonArray("parts");
    StringBuilder text = null;
    StringBuilder thought = null;
    String signature = null;
    List<ToolCallDelta> calls = null;
    if (parts != null) {
      for (int i = 0; i < parts.size(); i++) {
        JsonObject part = parts.getJsonObject(i);
        JsonObject call = part.getJsonObject("functionCall");
        if (call != null) {
          calls = calls == null ? new ArrayList<>() : calls;
          String id = call.getString("id");
          JsonObject args = call.getJsonObject("args");
          calls.add(new ToolCallDelta(state.toolCalls++, id != null ? id : newCallId(), call.getString("name"),
              (args == null ? new JsonObject() : args).encode()));
        } else if (part.getValue("text") instanceof String s) {
          if (Boolean.TRUE.equals(part.getValue("thought"))) {
            thought = (thought == null ? new StringBuilder() : thought).append(s);
            signature = part.getValue("thoughtSignature") instanceof String sig ? sig : signature;
          } else {
            text = (text == null ? new StringBuilder() : text).append(s);
          }
        }
      }
    }
    FinishReason finish = finishReason(c.getString("finishReason"), state.toolCalls > 0);
    ChoiceDelta d = new ChoiceDelta(index, null, text == null ? null : text.toString(), calls, finish,
        thought == null ? null : new ReasoningDelta(thought.toString(), signature, null), null);
    if (d.isEmpty()) {
      return;
    }
    if (!state.roleSent) {
      state.roleSent = true;
      d = new ChoiceDelta(index, "assistant", d.content(), d.toolCalls(), finish, d.reasoning(), null);
    }
    out.add(d);
    state.finished |= finish != null;
  }

  static FinishReason finishReason(String reason, boolean calledTools) {
    if (reason == null || reason.isEmpty() || "FINISH_REASON_UNSPECIFIED".equals(reason)) {
      return null;
    }
    return switch (reason) {
      case "STOP" -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
          FinishReason.CONTENT_FILTER;
      default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    };
  }

  /**
   * Gemini's {@code usageMetadata}: the prompt count includes cached content (as OpenAI's does)
   * and tool-use prompt tokens; completion tokens are the candidates' plus the thoughts', and the
   * thoughts are the reasoning tokens. Null in, null out.
   */
  public static Usage usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    long thoughts = longOf(usage, "thoughtsTokenCount");
    return new Usage(
        longOf(usage, "promptTokenCount") + longOf(usage, "toolUsePromptTokenCount"),
        longOf(usage, "candidatesTokenCount") + thoughts,
        longOf(usage, "cachedContentTokenCount"),
        thoughts,
        false);
  }

  /**
   * The failure for Google's error envelope {@code {"error":{"code","message","status","details"}}},
   * sent with a non-2xx status or inside a stream ({@code error} may be null: no envelope). The
   * status word (an enum such as RESOURCE_EXHAUSTED) is safe to show; the message goes to the log
   * only. An invalid API key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID at Google: the
   * gateway's credential is wrong, not the client's request, so it is UPSTREAM_AUTH.
   */
  public static GatewayException failure(int httpStatus, JsonObject error) {
    String googleStatus = error == null ? null : error.getValue("status") instanceof String s ? s : null;
    String word = googleStatus != null && googleStatus.matches("[A-Z_]{1,40}") ? " (" + googleStatus + ")" : "";
    String message = "upstream answered HTTP " + httpStatus + word;
    ErrorCode code;
    if ("RESOURCE_EXHAUSTED".equals(googleStatus) || httpStatus == 429) {
      code = ErrorCode.UPSTREAM_RATE_LIMITED;
    } else if ("UNAVAILABLE".equals(googleStatus) || httpStatus == 503) {
      code = ErrorCode.UPSTREAM_OVERLOADED;
    } else if ("DEADLINE_EXCEEDED".equals(googleStatus) || httpStatus == 504) {
      code = ErrorCode.UPSTREAM_TIMEOUT;
    } else if ("PERMISSION_DENIED".equals(googleStatus) || "UNAUTHENTICATED".equals(googleStatus)
        || httpStatus == 401 || httpStatus == 403 || hasReason(error, "API_KEY_INVALID")) {
      code = ErrorCode.UPSTREAM_AUTH;
    } else if (httpStatus >= 500 || httpStatus == 408 || httpStatus == 409 || httpStatus < 400) {
      code = ErrorCode.UPSTREAM_ERROR;
    } else {
      code = ErrorCode.UPSTREAM_BAD_REQUEST;
    }
    return new GatewayException(code, message);
  }

  private static boolean hasReason(JsonObject error, String reason) {
    if (error == null || !(error.getValue("details") instanceof JsonArray details)) {
      return false;
    }
    for (Object d : details) {
      if (d instanceof JsonObject o && reason.equals(o.getValue("reason"))) {
        return true;
      }
    }
    return false;
  }

  /** The message of Google's error in an error body, else the body itself (for the log). */
  public static String errorMessage(io.vertx.core.buffer.Buffer body) {
    JsonObject error = errorOf(body.toString());
    return error != null && error.getValue("message") instanceof String m ? m : body.toString();
  }

  /** The failure an error status and body of any Google endpoint (Gemini, Vertex) mean. */
  public static GatewayException statusFailure(int status, io.vertx.core.buffer.Buffer body) {
    return failure(status, errorOf(body.toString()));
  }

  /** An embedding's {@code values} as float32. */
  public static float[] floats(JsonArray values) {
    float[] v = new float[values.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = ((Number) values.getValue(j)).floatValue();
    }
    return v;
  }

  /** Google's error object of a body, or null when it has none (or is not JSON). */
  public static JsonObject errorOf(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      Object json = io.vertx.core.json.Json.decodeValue(body);
      // Some Google front ends wrap the envelope in an array.
      if (json instanceof JsonArray a && a.size() == 1) {
        json = a.getValue(0);
      }
      return json instanceof JsonObject o ? o.getJsonObject("error") : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static void failOnError(JsonObject chunk) {
    if (chunk.getValue("error") instanceof JsonObject error) {
      throw failure(error.getValue("code") instanceof Number n ? n.intValue() : 500, error);
    }
  }

  private String newCallId() {
    return responseId != null ? "call_" + responseId + "_" + callIds++
        : "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  private static long longOf(JsonObject json, String key) {
    Number n = json.getNumber(key);
    return n == null ? 0 : Math.max(0, n.longValue());
  }
}
