package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The built-in {@code mock} provider: answers with deterministic text of {@code tokens} tokens,
 * one token per chunk, {@code chunkDelayMs} apart; fails before the first byte with probability
 * {@code failureRate} (as an upstream 500 would, so failover can be exercised).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MockOptions(Integer tokens, Long chunkDelayMs, Double failureRate) {

  public static final int DEFAULT_TOKENS = 16;
  public static final MockOptions DEFAULTS = new MockOptions(null, null, null);

  public MockOptions {
    tokens = tokens == null ? DEFAULT_TOKENS : tokens;
    chunkDelayMs = chunkDelayMs == null ? 0L : chunkDelayMs;
    failureRate = failureRate == null ? 0.0 : failureRate;
    if (tokens < 0 || chunkDelayMs < 0 || failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("mock: tokens and chunk_delay_ms must be >= 0, failure_rate in [0,1]");
    }
  }
}
