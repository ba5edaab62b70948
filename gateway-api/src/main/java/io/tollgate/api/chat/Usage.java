package io.tollgate.api.chat;

/**
 * Token usage of one call, 64-bit throughout (a long stream or a batch can pass 2^31 in sums).
 * {@code estimated} is true when the upstream did not report usage (a cancelled stream, an
 * upstream without usage) and the connector counted the tokens it relayed.
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
                    boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, false);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
