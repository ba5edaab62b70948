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
 * @param maxTokens    {@code max_tokens} as the client sent it, null if unset
 * @param maxCompletionTokens {@code max_completion_tokens} as the client sent it, null if unset.
 *                     Both are kept apart because upstreams disagree: OpenAI's reasoning models
 *                     refuse {@code max_tokens}, vLLM and older servers know only {@code max_tokens}.
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
    Map<String, Object> extra,
    Integer maxCompletionTokens) {

  public ChatRequest {
    messages = List.copyOf(messages);
    stop = stop == null ? null : List.copyOf(stop);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public ChatRequest(String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                     Integer maxTokens, Double temperature, Double topP, Integer n, List<String> stop, String user,
                     Map<String, Object> extra) {
    this(model, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, user, extra, null);
  }

  /** The completion budget the client set: {@code max_completion_tokens}, else {@code max_tokens}, else null. */
  public Integer completionLimit() {
    return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
  }

  /** Tokens around each message in OpenAI's chat format (role and separators). */
  public static final int TOKENS_PER_MESSAGE = 4;
  /** The assistant reply's priming. */
  public static final int TOKENS_PER_REPLY = 3;

  /** Number of choices asked for (OpenAI's {@code n}, default 1). */
  public int choices() {
    return n == null ? 1 : n;
  }

  /**
   * The prompt's tokens without a tokenizer: about four characters per token (OpenAI's rule of
   * thumb for English) plus the chat format's overhead per message. Used wherever the upstream's
   * count is not known (yet): reservations at admission, cancelled streams, the mock.
   */
  public int estimatedPromptTokens() {
    long tokens = TOKENS_PER_REPLY;
    for (ChatMessage m : messages) {
      long chars = m.text().length() + (m.name() == null ? 0 : m.name().length());
      tokens += (chars + 3) / 4 + TOKENS_PER_MESSAGE;
    }
    return (int) Math.min(Integer.MAX_VALUE, tokens);
  }
}
