package io.tollgate.traffic;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;

/**
 * A tokenizer-free estimate of what a request will use, for reservations only: settlement replaces
 * it with the upstream's count. Four characters per token is OpenAI's rule of thumb for English;
 * the per-message overhead is what the chat format adds around each message.
 */
public final class TokenEstimator {

  /** Role and separators around each message in OpenAI's chat format. */
  public static final int TOKENS_PER_MESSAGE = 4;
  /** The assistant reply's priming. */
  public static final int TOKENS_PER_REPLY = 3;

  private TokenEstimator() {
  }

  /** About ceil(chars / 4) per message plus the per-message overhead. */
  public static int promptTokens(ChatRequest request) {
    long tokens = TOKENS_PER_REPLY;
    for (ChatMessage m : request.messages()) {
      long chars = m.text().length() + (m.name() == null ? 0 : m.name().length());
      tokens += (chars + 3) / 4 + TOKENS_PER_MESSAGE;
    }
    return (int) Math.min(Integer.MAX_VALUE, tokens);
  }

  /**
   * Tokens to reserve: the prompt estimate plus the completion budget of every choice, where the
   * completion budget is max_tokens or, if unset, {@code defaultMaxTokens}.
   */
  public static long estimate(ChatRequest request, int defaultMaxTokens) {
    int completion = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
    return promptTokens(request) + (long) completion * Math.max(1, request.choices());
  }
}
