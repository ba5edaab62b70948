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
    BigDecimal writePrice = written == 0 ? null : d.cacheWritePricePerMtok() != null ? d.cacheWritePricePerMtok()
        : input == null ? null : input.multiply(DEFAULT_CACHE_WRITE_MULTIPLIER);
    BigDecimal output = d.outputPricePerMtok();
    long fresh = promptTokens - cached - written;
    BigDecimal exact = exactInLongs(input, fresh, cachedPrice, cached, writePrice, written, output, completionTokens);
    return exact != null ? exact : exactInBigDecimals(input, fresh, cachedPrice, cached, writePrice, written, output,
        completionTokens);
  }

  /**
   * The same sum in long arithmetic on the prices' unscaled values at their largest scale: exact,
   * and a cost per request instead of a dozen BigDecimals (it runs several times per request). Null
   * when a price has too many decimals or a product would not fit, and the BigDecimal sum decides.
   */
  static BigDecimal exactInLongs(BigDecimal p1, long n1, BigDecimal p2, long n2, BigDecimal p3, long n3,
                                 BigDecimal p4, long n4) {
    int scale = Math.max(Math.max(scale(p1), scale(p2)), Math.max(scale(p3), scale(p4)));
    if (scale > MAX_LONG_SCALE) {
      return null;
    }
    try {
      long sum = Math.addExact(Math.addExact(term(p1, n1, scale), term(p2, n2, scale)),
          Math.addExact(term(p3, n3, scale), term(p4, n4, scale)));
      return BigDecimal.valueOf(sum, scale + 6).stripTrailingZeros();
    } catch (ArithmeticException tooLarge) {
      return null;
    }
  }

  private static final int MAX_LONG_SCALE = 12;
  private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
      100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L};

  private static int scale(BigDecimal price) {
    return price == null ? 0 : price.scale();
  }

  private static long term(BigDecimal price, long tokens, int scale) {
    if (price == null || tokens == 0) {
      return 0;
    }
    if (price.scale() < 0) {
      throw new ArithmeticException("negative scale");
    }
    long unscaled = price.unscaledValue().longValueExact();
    return Math.multiplyExact(Math.multiplyExact(unscaled, POWERS_OF_TEN[scale - price.scale()]), tokens);
  }

  static BigDecimal exactInBigDecimals(BigDecimal p1, long n1, BigDecimal p2, long n2, BigDecimal p3, long n3,
                                       BigDecimal p4, long n4) {
    BigDecimal perMillion = BigDecimal.ZERO;
    BigDecimal[] prices = {p1, p2, p3, p4};
    long[] tokens = {n1, n2, n3, n4};
    for (int i = 0; i < prices.length; i++) {
      if (prices[i] != null) {
        perMillion = perMillion.add(prices[i].multiply(BigDecimal.valueOf(tokens[i])));
      }
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
