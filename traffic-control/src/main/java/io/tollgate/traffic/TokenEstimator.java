package io.tollgate.traffic;

import io.tollgate.api.chat.ChatRequest;

/**
 * A tokenizer-free estimate of what a request will use, for reservations only: settlement replaces
 * it with the upstream's count. Four characters per token is OpenAI's rule of thumb for English;
 * the per-message overhead is what the chat format adds around each message.
 */
public final class TokenEstimator {

  private TokenEstimator() {
  }

  /**
   * Tokens to reserve: the prompt estimate ({@link ChatRequest#estimatedPromptTokens()}) plus the
   * completion budget of every choice, where the completion budget is max_tokens or, if unset,
   * {@code defaultMaxTokens}.
   */
  public static long estimate(ChatRequest request, int defaultMaxTokens) {
    int completion = request.completionLimit() != null ? request.completionLimit() : defaultMaxTokens;
    return request.estimatedPromptTokens() + (long) completion * Math.max(1, request.choices());
  }
}
