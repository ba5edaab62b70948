package io.tollgate.traffic;

import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact USD cost of a call from a deployment's per-million-token prices. Never a double: money is
 * BigDecimal here and integer nano-dollars in Redis (a token at $0.15 per million is 150 nano-dollars,
 * so nano-dollars hold every price with up to three decimals per million tokens exactly).
 */
public final class Pricing {

  /**
   * A cache write's price as a multiple of the input price when the deployment sets none:
   * Anthropic charges 1.25 times the input price for 5-minute cache writes.
   */
  public static final BigDecimal DEFAULT_CACHE_WRITE_MULTIPLIER = new BigDecimal("1.25");

  private Pricing() {
  }

  /** The cost of a call's usage, cache writes included. */
  public static BigDecimal cost(DeploymentConfig d, Usage usage) {
    return cost(d, usage.promptTokens(), usage.cachedTokens(), usage.cacheWriteTokens(), usage.completionTokens());
  }

  /**
   * The cost of one call. {@code cachedTokens} are part of {@code promptTokens} (as in OpenAI usage)
   * and priced at the cached-input price, or at the input price if the deployment has none.
   * An unpriced deployment (no input or output price) costs zero for that part.
   */
  public static BigDecimal cost(DeploymentConfig d, long promptTokens, long cachedTokens, long completionTokens) {
    return cost(d, promptTokens, cachedTokens, 0, completionTokens);
  }

  /**
   * The cost of one call whose prompt includes {@code cacheWriteTokens} written to the provider's
   * prompt cache (Anthropic), priced at the deployment's cache-write price, or at
   * {@link #DEFAULT_CACHE_WRITE_MULTIPLIER} times the input price if it has none.
   */
  public static BigDecimal cost(DeploymentConfig d, long promptTokens, long cachedTokens, long cacheWriteTokens,
                                long completionTokens) {
    long cached = Math.min(Math.max(0, cachedTokens), promptTokens);
    long written = Math.min(Math.max(0, cacheWriteTokens), promptTokens - cached);
    BigDecimal input = d.inputPricePerMtok();
    BigDecimal cachedPrice = d.cachedInputPricePerMtok() != null ? d.cachedInputPricePerMtok() : input;
    BigDecimal writePrice = d.cacheWritePricePerMtok() != null ? d.cacheWritePricePerMtok()
        : input == null ? null : input.multiply(DEFAULT_CACHE_WRITE_MULTIPLIER);
    BigDecimal perMillion = BigDecimal.ZERO;
    if (input != null) {
      perMillion = perMillion.add(input.multiply(BigDecimal.valueOf(promptTokens - cached - written)));
    }
    if (cachedPrice != null) {
      perMillion = perMillion.add(cachedPrice.multiply(BigDecimal.valueOf(cached)));
    }
    if (writePrice != null && written > 0) {
      perMillion = perMillion.add(writePrice.multiply(BigDecimal.valueOf(written)));
    }
    if (d.outputPricePerMtok() != null) {
      perMillion = perMillion.add(d.outputPricePerMtok().multiply(BigDecimal.valueOf(completionTokens)));
    }
    return perMillion.movePointLeft(6).stripTrailingZeros();
  }

  /** USD to nano-dollars for counting, rounded up so that usage is never under-counted. */
  public static long toNanos(BigDecimal usd) {
    return usd.movePointRight(9).setScale(0, RoundingMode.UP).longValueExact();
  }

  /** A budget to nano-dollars, rounded down so that a budget is never exceeded. */
  static long limitToNanos(BigDecimal usd) {
    return usd.movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
  }

  /** Nano-dollars back to USD, exact. */
  public static BigDecimal fromNanos(long nanos) {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
  }
}
