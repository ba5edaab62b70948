package io.tollgate.router.policy;

/**
 * What one router instance has learned about one deployment of one model: decayed counts, the Beta
 * posterior of the reward, EWMAs of latency and time to first token, mean cost, and its breaker.
 * Thread-confined to the router instance's event loop.
 *
 * <p>Decay is by time, not by number of observations: all of a model's arms are discounted by the
 * same factor {@code 2^(-dt / half_life)}, so a deployment that gets no traffic does not keep old
 * certainty while others learn. It is applied lazily when the arm is read or updated.
 */
public final class ArmStats {

  private final Breaker breaker = new Breaker();
  private double requests;
  private double successes;
  private double failures;
  private double rewardSum;
  private double costSum;
  private double ewmaLatencyMs = Double.NaN;
  private double ewmaTtftMs = Double.NaN;
  private long stampNanos;
  private boolean stamped;
  /** thompson: running share of joint posterior draws this arm won; NaN until it took part in one. */
  private double winShare = Double.NaN;

  /** Discounts the counts to {@code now}; a half-life of 0 keeps everything. */
  void decayTo(long now, long halfLifeNanos) {
    if (!stamped) {
      stampNanos = now;
      stamped = true;
      return;
    }
    long dt = now - stampNanos;
    if (dt <= 0) {
      return;
    }
    stampNanos = now;
    if (halfLifeNanos <= 0 || requests == 0) {
      return;
    }
    double f = Math.exp(-Math.log(2) * dt / halfLifeNanos);
    requests *= f;
    successes *= f;
    failures *= f;
    rewardSum *= f;
    costSum *= f;
  }

  void success(double reward, long latencyMs, long ttftMs, double costUsd, double ewmaAlpha) {
    requests++;
    successes++;
    rewardSum += reward;
    costSum += costUsd;
    ewmaLatencyMs = Double.isNaN(ewmaLatencyMs) ? latencyMs : ewmaLatencyMs + ewmaAlpha * (latencyMs - ewmaLatencyMs);
    if (ttftMs >= 0) {
      ewmaTtftMs = Double.isNaN(ewmaTtftMs) ? ttftMs : ewmaTtftMs + ewmaAlpha * (ttftMs - ewmaTtftMs);
    }
  }

  void failure() {
    requests++;
    failures++;
  }

  /** One joint draw among {@code arms} arms: whether this one won it, weighted by {@code lambda}. */
  void countWin(boolean won, double lambda, int arms) {
    if (Double.isNaN(winShare)) {
      winShare = 1.0 / arms;
    }
    winShare += lambda * ((won ? 1 : 0) - winShare);
  }

  double winShare() {
    return winShare;
  }

  ArmSnapshot snapshot() {
    return new ArmSnapshot(requests, successes, failures, rewardSum, costSum,
        Double.isNaN(ewmaLatencyMs) ? null : ewmaLatencyMs, Double.isNaN(ewmaTtftMs) ? null : ewmaTtftMs);
  }

  /** Takes a snapshot's statistics as if last updated at {@code stampNanos}; the next read decays them to now. */
  void restore(ArmSnapshot s, long stampNanos) {
    requests = s.requests();
    successes = s.successes();
    failures = s.failures();
    rewardSum = s.rewardSum();
    costSum = s.costSum();
    ewmaLatencyMs = s.ewmaLatencyMs() == null ? Double.NaN : s.ewmaLatencyMs();
    ewmaTtftMs = s.ewmaTtftMs() == null ? Double.NaN : s.ewmaTtftMs();
    this.stampNanos = stampNanos;
    stamped = true;
  }

  public Breaker breaker() {
    return breaker;
  }

  public double requests() {
    return requests;
  }

  public double successes() {
    return successes;
  }

  public double failures() {
    return failures;
  }

  public double rewardSum() {
    return rewardSum;
  }

  /** Beta posterior of the reward under a uniform prior. */
  public double alpha() {
    return 1 + rewardSum;
  }

  public double beta() {
    return 1 + Math.max(0, requests - rewardSum);
  }

  /** Posterior mean of the reward, 1/2 before any observation. */
  public double posteriorMean() {
    return alpha() / (alpha() + beta());
  }

  /** NaN before the first successful attempt. */
  public double ewmaLatencyMs() {
    return ewmaLatencyMs;
  }

  /** NaN before the first streamed success with a first token. */
  public double ewmaTtftMs() {
    return ewmaTtftMs;
  }

  public double meanCostUsd() {
    return successes > 0 ? costSum / successes : 0;
  }
}
