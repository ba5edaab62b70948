package io.tollgate.bench.sim;

/**
 * A synthetic model served by Bernoulli deployments: arm i succeeds with probability {@code p[i]}.
 * Optionally the best arm dies (fails every request) from request {@code dieAt} on.
 */
public record Environment(String name, double[] p, int dieAt) {

  public static Environment stationary(String name, double... p) {
    return new Environment(name, p, -1);
  }

  public Environment withDeathOfBestAt(int t) {
    return new Environment(name + " (best dies at t=" + t + ")", p, t);
  }

  public int best() {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The success probability of arm {@code i} at request {@code t}. */
  public double p(int i, int t) {
    return dieAt >= 0 && t >= dieAt && i == best() ? 0 : p[i];
  }

  /**
   * Lai and Robbins' constant: any consistent policy's regret grows at least like {@code C ln T} with
   * {@code C = sum over suboptimal arms of gap / KL(p_i, p*)} (Bernoulli KL).
   */
  public double laiRobbinsConstant() {
    double star = p[best()];
    double c = 0;
    for (double pi : p) {
      if (pi < star) {
        c += (star - pi) / kl(pi, star);
      }
    }
    return c;
  }

  static double kl(double p, double q) {
    return p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
  }
}
