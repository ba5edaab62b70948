package io.tollgate.connector.anthropic;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's event stream of one message to canonical deltas, one event at a time (state: which
 * content block is which tool call, and the usage so far). Tool calls are numbered by their
 * position among the message's {@code tool_use} blocks, which is what OpenAI clients expect as
 * {@code tool_calls[].index} (a text block before them does not count).
 *
 * <p>Usage is reported once the final counts are there ({@code message_delta}); the counts of
 * {@code message_start} (exact prompt, placeholder output) are only usage so far: a stream cut
 * before the end keeps the exact prompt and estimates the output from what was relayed.
 */
final class AnthropicStream {

  /**
   * What one event means: a stream event to relay (or null), final usage to report (or null), the
   * end; {@code soFar} is the usage known at message_start (exact prompt, placeholder output).
   */
  record Step(List<ChoiceDelta> deltas, Usage usage, boolean done, Usage soFar) {
    static final Step NOTHING = new Step(null, null, false, null);

    Step(List<ChoiceDelta> deltas, Usage usage, boolean done) {
      this(deltas, usage, done, null);
    }
  }

  private final Map<Integer, Integer> toolByBlock = new HashMap<>();
  private int tools;
  private long input;
  private long cacheRead;
  private long cacheWrite;
  private long output;
  private boolean sawUsage;
  private boolean sawStop;

  /** One event's data (its {@code type} field says what it is; the SSE event name is the same word). */
  Step event(JsonObject data) {
    String type = data.getString("type", "");
    return switch (type) {
      case "message_start" -> messageStart(data.getJsonObject("message"));
      case "content_block_start" -> blockStart(data.getInteger("index", 0), data.getJsonObject("content_block"));
      case "content_block_delta" -> blockDelta(data.getInteger("index", 0), data.getJsonObject("delta"));
      case "message_delta" -> messageDelta(data.getJsonObject("delta"), data.getJsonObject("usage"));
      case "message_stop" -> new Step(null, sawUsage ? null : usage(), true);
      case "error" -> throw AnthropicErrors.inStream(data.getJsonObject("error"));
      default -> Step.NOTHING; // ping, content_block_stop, and event types newer than this mapping
    };
  }

  /** Whether the stream said how the message ended (so a missing message_stop loses nothing). */
  boolean sawStop() {
    return sawStop;
  }

  private Step messageStart(JsonObject message) {
    if (message != null) {
      addUsage(message.getJsonObject("usage"));
    }
    return new Step(List.of(new ChoiceDelta(0, "assistant", null, null, null)), null, false, usage());
  }

  private Step blockStart(int index, JsonObject block) {
    if (block == null) {
      return Step.NOTHING;
    }
    switch (block.getString("type", "")) {
      case "text" -> {
        String text = block.getString("text");
        return text == null || text.isEmpty() ? Step.NOTHING : one(ChoiceDelta.text(0, text));
      }
      case "tool_use" -> {
        int tool = tools++;
        toolByBlock.put(index, tool);
        JsonObject input = block.getJsonObject("input");
        String arguments = input == null || input.isEmpty() ? null : input.encode();
        return one(toolDelta(new ToolCallDelta(tool, block.getString("id"), block.getString("name"), arguments)));
      }
      case "thinking" -> {
        String text = block.getString("thinking");
        String signature = block.getString("signature");
        boolean any = (text != null && !text.isEmpty()) || (signature != null && !signature.isEmpty());
        return any ? one(reasoning(new ReasoningDelta(emptyToNull(text), emptyToNull(signature), null)))
            : Step.NOTHING;
      }
      case "redacted_thinking" -> {
        return one(reasoning(new ReasoningDelta(null, null, block.getString("data"))));
      }
      default -> {
        // Server tool use and its results have no place in the canonical stream (yet).
        return Step.NOTHING;
      }
    }
  }

  private Step blockDelta(int index, JsonObject delta) {
    if (delta == null) {
      return Step.NOTHING;
    }
    return switch (delta.getString("type", "")) {
      case "text_delta" -> one(ChoiceDelta.text(0, delta.getString("text")));
      case "input_json_delta" -> {
        String partial = delta.getString("partial_json");
        Integer tool = toolByBlock.get(index);
        yield tool == null || partial == null || partial.isEmpty() ? Step.NOTHING
            : one(toolDelta(new ToolCallDelta(tool, null, null, partial)));
      }
      case "thinking_delta" -> one(reasoning(new ReasoningDelta(delta.getString("thinking"), null, null)));
      case "signature_delta" -> one(reasoning(new ReasoningDelta(null, delta.getString("signature"), null)));
      default -> Step.NOTHING; // citations_delta and newer kinds
    };
  }

  private Step messageDelta(JsonObject delta, JsonObject usage) {
    addUsage(usage);
    sawUsage = true;
    FinishReason finish = null;
    String stopSequence = null;
    if (delta != null) {
      finish = FinishReason.fromAnthropic(delta.getString("stop_reason"));
      stopSequence = delta.getString("stop_sequence");
    }
    sawStop |= finish != null;
    ChoiceDelta d = new ChoiceDelta(0, null, null, null, finish, null, stopSequence);
    return new Step(d.isEmpty() ? null : List.of(d), usage(), false);
  }

  /** Counts present in this usage object replace the earlier ones (Anthropic's counts are cumulative). */
  private void addUsage(JsonObject usage) {
    if (usage == null) {
      return;
    }
    input = count(usage, "input_tokens", input);
    cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
    cacheWrite = count(usage, "cache_creation_input_tokens", cacheWrite);
    output = count(usage, "output_tokens", output);
  }

  Usage usage() {
    return AnthropicWholeMessage.usage(input, cacheRead, cacheWrite, output);
  }

  private static long count(JsonObject usage, String key, long previous) {
    Number n = usage.getNumber(key);
    return n == null ? previous : Math.max(0, n.longValue());
  }

  private static Step one(ChoiceDelta d) {
    return new Step(List.of(d), null, false);
  }

  private static ChoiceDelta toolDelta(ToolCallDelta t) {
    return new ChoiceDelta(0, null, null, List.of(t), null);
  }

  private static ChoiceDelta reasoning(ReasoningDelta r) {
    return new ChoiceDelta(0, null, null, null, null, r, null);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
