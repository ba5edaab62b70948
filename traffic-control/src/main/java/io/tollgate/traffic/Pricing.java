package io.tollgate.traffic;

import io.tollgate.api.config.DeploymentConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact USD cost of a call from a deployment's per-million-token prices. Never a double: money is
 * BigDecimal here and integer nano-dollars in Redis (a token at $0.15 per million is 150 nano-dollars,
 * so nano-dollars hold every price with up to three decimals per million tokens exactly).
 */
public final class Pricing {

  private Pricing() {
  }

  /**
   * The cost of one call. {@code cachedTokens} are part of {@code promptTokens} (as in OpenAI usage)
   * and priced at the cached-input price, or at the input price if the deployment has none.
   * An unpriced deployment (no input or output price) costs zero for that part.
   */
  public static BigDecimal cost(DeploymentConfig d, long promptTokens, long cachedTokens, long completionTokens) {
    long cached = Math.min(Math.max(0, cachedTokens), promptTokens);
    BigDecimal input = d.inputPricePerMtok();
    BigDecimal cachedPrice = d.cachedInputPricePerMtok() != null ? d.cachedInputPricePerMtok() : input;
    BigDecimal perMillion = BigDecimal.ZERO;
    if (input != null) {
      perMillion = perMillion.add(input.multiply(BigDecimal.valueOf(promptTokens - cached)));
    }
    if (cachedPrice != null) {
      perMillion = perMillion.add(cachedPrice.multiply(BigDecimal.valueOf(cached)));
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
