package io.tollgate.router.eval;

/**
 * A policy value estimate with a normal-approximation 95% confidence interval: the mean of n
 * per-decision terms, {@code value +- 1.96 * sd / sqrt(n)}.
 */
public record Estimate(double value, double stdError, double low, double high, int n) {

  static final double Z95 = 1.959963984540054;

  static Estimate of(double[] terms, int n) {
    if (n == 0) {
      return new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += terms[i];
    }
    mean /= n;
    double ss = 0;
    for (int i = 0; i < n; i++) {
      ss += (terms[i] - mean) * (terms[i] - mean);
    }
    double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
    return new Estimate(mean, se, mean - Z95 * se, mean + Z95 * se, n);
  }

  public boolean covers(double truth) {
    return low <= truth && truth <= high;
  }
}
