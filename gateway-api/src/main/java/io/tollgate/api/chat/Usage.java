package io.tollgate.api.chat;

/**
 * Token usage of one call, 64-bit throughout (a long stream or a batch can pass 2^31 in sums).
 * {@code estimated} is true when the upstream did not report usage (a cancelled stream, an
 * upstream without usage) and the connector counted the tokens it relayed.
 *
 * @param cachedTokens     prompt tokens read from the provider's prompt cache (part of promptTokens)
 * @param reasoningTokens  completion tokens spent on reasoning (part of completionTokens)
 * @param cacheWriteTokens prompt tokens written to the provider's prompt cache (Anthropic-style
 *                         cache creation; part of promptTokens)
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
                    boolean estimated, long cacheWriteTokens) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, false, 0);

  public Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, boolean estimated) {
    this(promptTokens, completionTokens, cachedTokens, reasoningTokens, estimated, 0);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
