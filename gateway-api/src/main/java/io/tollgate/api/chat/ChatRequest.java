package io.tollgate.api.chat;

import java.util.List;
import java.util.Map;

/**
 * A chat completion request, parsed once at the edge. The fields the gateway acts on are typed;
 * every other top-level parameter (tools, response_format, seed ...) is in {@code extra} and is
 * passed through to OpenAI-compatible upstreams verbatim.
 *
 * @param model        the model name the client asked for (a public name or an alias)
 * @param stream       whether the client wants SSE
 * @param includeUsage {@code stream_options.include_usage}: send a final usage chunk
 * @param maxTokens    {@code max_completion_tokens} or {@code max_tokens}, null if unset
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    Double temperature,
    Double topP,
    Integer n,
    List<String> stop,
    String user,
    Map<String, Object> extra) {

  public ChatRequest {
    messages = List.copyOf(messages);
    stop = stop == null ? null : List.copyOf(stop);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  /** Number of choices asked for (OpenAI's {@code n}, default 1). */
  public int choices() {
    return n == null ? 1 : n;
  }
}
