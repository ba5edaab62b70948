package io.tollgate.connector.anthropic;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole Anthropic message (from an upstream that ignored {@code stream: true}) as the events a
 * stream of it would have given: the role, one event per content block, the finish. Also the one
 * place Anthropic usage becomes canonical usage.
 */
final class AnthropicWholeMessage {

  /** The events to relay, in order, and the usage. */
  record Mapped(List<List<ChoiceDelta>> events, Usage usage) {
  }

  private AnthropicWholeMessage() {
  }

  static Mapped map(JsonObject message) {
    if ("error".equals(message.getString("type"))) {
      throw AnthropicErrors.inStream(message.getJsonObject("error"));
    }
    JsonArray content = message.getJsonArray("content");
    if (content == null) {
      throw new IllegalArgumentException("message without content");
    }
    List<List<ChoiceDelta>> events = new ArrayList<>(content.size() + 2);
    events.add(List.of(new ChoiceDelta(0, "assistant", null, null, null)));
    int tools = 0;
    for (int i = 0; i < content.size(); i++) {
      JsonObject block = content.getJsonObject(i);
      ChoiceDelta d = switch (block.getString("type", "")) {
        case "text" -> ChoiceDelta.text(0, block.getString("text"));
        case "tool_use" -> {
          JsonObject input = block.getJsonObject("input");
          yield new ChoiceDelta(0, null, null, List.of(new ToolCallDelta(tools++, block.getString("id"),
              block.getString("name"), input == null ? "{}" : input.encode())), null);
        }
        case "thinking" -> new ChoiceDelta(0, null, null, null, null,
            new ReasoningDelta(block.getString("thinking"), block.getString("signature"), null), null);
        case "redacted_thinking" -> new ChoiceDelta(0, null, null, null, null,
            new ReasoningDelta(null, null, block.getString("data")), null);
        default -> null;
      };
      if (d != null) {
        events.add(List.of(d));
      }
    }
    FinishReason finish = FinishReason.fromAnthropic(message.getString("stop_reason"));
    events.add(List.of(new ChoiceDelta(0, null, null, null, finish == null ? FinishReason.STOP : finish, null,
        message.getString("stop_sequence"))));
    JsonObject usage = message.getJsonObject("usage");
    return new Mapped(events, usage == null ? null : usage(count(usage, "input_tokens"),
        count(usage, "cache_read_input_tokens"), count(usage, "cache_creation_input_tokens"),
        count(usage, "output_tokens")));
  }

  /**
   * Anthropic usage in the canonical (OpenAI) sense: {@code input_tokens} excludes cache reads and
   * writes, the canonical prompt includes both.
   */
  static Usage usage(long input, long cacheRead, long cacheWrite, long output) {
    return new Usage(input + cacheRead + cacheWrite, output, cacheRead, 0, false, cacheWrite);
  }

  private static long count(JsonObject usage, String key) {
    Number n = usage.getNumber(key);
    return n == null ? 0 : Math.max(0, n.longValue());
  }
}
