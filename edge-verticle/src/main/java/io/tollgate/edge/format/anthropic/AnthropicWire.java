package io.tollgate.edge.format.anthropic;

import io.tollgate.api.chat.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Anthropic's wire shapes the edge writes: named SSE events and usage objects. */
final class AnthropicWire {

  private AnthropicWire() {
  }

  /** {@code event: <name>\ndata: <json>\n\n}; the name is also the data's {@code type}, as Anthropic sends. */
  static void event(Buffer out, String name, JsonObject data) {
    out.appendString("event: ").appendString(name).appendString("\ndata: ").appendBuffer(data.toBuffer())
        .appendString("\n\n");
  }

  /**
   * Anthropic usage from canonical usage: {@code input_tokens} excludes cache reads and writes
   * (canonical prompt tokens include them, as OpenAI counts). Without usage (an upstream that
   * reported none), the prompt estimate and no output.
   */
  static JsonObject usage(Usage u, long inputEstimate) {
    if (u == null) {
      return usage(inputEstimate, 0, 0, 0);
    }
    long input = Math.max(0, u.promptTokens() - u.cachedTokens() - u.cacheWriteTokens());
    return usage(input, u.cacheWriteTokens(), u.cachedTokens(), u.completionTokens());
  }

  static JsonObject usage(long input, long cacheWrite, long cacheRead, long output) {
    return new JsonObject().put("input_tokens", input).put("cache_creation_input_tokens", cacheWrite)
        .put("cache_read_input_tokens", cacheRead).put("output_tokens", output);
  }
}
