package io.tollgate.api.chat;

/**
 * Token usage of one call. {@code estimated} is true when the upstream did not report usage (a
 * cancelled stream, an upstream without usage) and the connector counted the tokens it relayed.
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens,
                    boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, false);

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
