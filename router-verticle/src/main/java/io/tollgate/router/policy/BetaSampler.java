package io.tollgate.router.policy;

import java.util.random.RandomGenerator;

/** Beta draws as X / (X + Y) of two Gamma draws (Marsaglia and Tsang, 2000); no allocation. */
final class BetaSampler {

  private BetaSampler() {
  }

  static double sample(RandomGenerator random, double alpha, double beta) {
    double x = gamma(random, alpha);
    double y = gamma(random, beta);
    return x / (x + y);
  }

  static double gamma(RandomGenerator random, double shape) {
    if (shape < 1) {
      // Gamma(a) = Gamma(a + 1) * U^(1/a); shapes below 1 only occur with unusual priors.
      return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      double x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
