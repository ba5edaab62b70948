package io.tollgate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Prices of prompt-cache writes")
class PricingTest {

  /** Claude Sonnet's list prices: $3 input, $0.30 cache read, $15 output per million tokens. */
  static DeploymentConfig priced(BigDecimal cacheWrite) {
    return new DeploymentConfig("d", "anthropic", null, null, null, null, null, null, null, new BigDecimal("3"),
        new BigDecimal("15"), new BigDecimal("0.30"), null, null, null, cacheWrite);
  }

  @Test
  @DisplayName("cache writes cost 1.25 times the input price unless the deployment sets their price")
  void cacheWrites() {
    // 21 plain + 1000 read + 188086 written prompt tokens, 393 output tokens.
    Usage usage = new Usage(21 + 1000 + 188086, 393, 1000, 0, false, 188086);

    // 21 * 3 + 1000 * 0.30 + 188086 * 3.75 + 393 * 15 = 63 + 300 + 705322.5 + 5895 = 711580.5 per million
    assertThat(Pricing.cost(priced(null), usage)).isEqualByComparingTo("0.7115805");
    // With an explicit 1-hour write price of $6: 188086 * 6 = 1128516 -> 63 + 300 + 1128516 + 5895
    assertThat(Pricing.cost(priced(new BigDecimal("6")), usage)).isEqualByComparingTo("1.134774");
  }

  @Test
  @DisplayName("without cache writes the price is what it always was")
  void noWrites() {
    assertThat(Pricing.cost(priced(null), new Usage(1000, 10, 400, 0, false)))
        .isEqualByComparingTo(Pricing.cost(priced(null), 1000, 400, 10))
        .isEqualByComparingTo("0.00207");
  }

  @Test
  @DisplayName("cache-write counts beyond the prompt are clamped; an unpriced deployment costs nothing")
  void clamped() {
    assertThat(Pricing.cost(priced(null), 100, 0, 500, 0)).isEqualByComparingTo("0.000375");
    DeploymentConfig unpriced = new DeploymentConfig("u", "anthropic", null, null, null, null, null, null, null,
        null, null, null);
    assertThat(Pricing.cost(unpriced, new Usage(100, 10, 0, 0, false, 50))).isEqualByComparingTo("0");
  }

  @Test
  @DisplayName("the long-arithmetic sum equals the BigDecimal sum exactly, and gives way to it when it cannot be exact")
  void longSumIsExact() {
    java.util.Random random = new java.util.Random(42);
    String[] prices = {"0.15", "0.6", "3", "15", "0.075", "1.25", "0.000001", "2.5E+1", "0", "12.3456789012",
        "0.30", "10"};
    for (int i = 0; i < 10_000; i++) {
      BigDecimal[] p = new BigDecimal[4];
      long[] n = new long[4];
      for (int j = 0; j < 4; j++) {
        p[j] = random.nextInt(6) == 0 ? null : new BigDecimal(prices[random.nextInt(prices.length)]);
        n[j] = random.nextInt(4) == 0 ? 0 : random.nextInt(2_000_000);
      }
      BigDecimal viaLongs = Pricing.exactInLongs(p[0], n[0], p[1], n[1], p[2], n[2], p[3], n[3]);
      BigDecimal viaBig = Pricing.exactInBigDecimals(p[0], n[0], p[1], n[1], p[2], n[2], p[3], n[3]);
      if (viaLongs != null) {
        assertThat(viaLongs).as("prices %s tokens %s", java.util.Arrays.toString(p), java.util.Arrays.toString(n))
            .isEqualTo(viaBig);
      }
    }
    // 13 decimals, or a product beyond a long: the BigDecimal sum answers.
    assertThat(Pricing.exactInLongs(new BigDecimal("0.0000000000001"), 5, null, 0, null, 0, null, 0)).isNull();
    assertThat(Pricing.exactInLongs(new BigDecimal("9223372036.854775807"), 10, null, 0, null, 0, null, 0)).isNull();
    assertThat(Pricing.cost(new DeploymentConfig("d", "openai", null, null, null, null, null, null, null,
        new BigDecimal("9223372036.854775807"), null, null), 10, 0, 0))
        .isEqualTo(new BigDecimal("92233.72036854775807"));
  }
}
