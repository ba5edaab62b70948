package io.tollgate.billing.alerts;

import java.math.BigDecimal;
import java.util.List;

/**
 * When budget alerts fire and how their webhooks are delivered.
 *
 * @param thresholds        percentages of a budget that fire an alert once each per budget period
 * @param spikeFactor       an hour's spend above this many times the average hour of the window fires a spike
 *                          (never without spend in the window: no average to jump from)
 * @param spikeWindowHours  the hours before the current one that make the average
 * @param spikeMinUsd       an hour below this spend never fires a spike (tiny numbers jump easily)
 * @param attempts          delivery attempts per webhook and alert, the first included
 * @param attemptTimeoutMs  deadline of one attempt (connect to last byte of the answer)
 * @param backoffMs         wait before the second attempt; doubled before each next one
 * @param maxBackoffMs      the longest wait between two attempts
 * @param evaluateEveryMs   the shortest time between two evaluations of one billing verticle: what
 *                          batches charge meanwhile is looked at together (alerts are that much later)
 */
public record AlertOptions(List<Integer> thresholds, double spikeFactor, int spikeWindowHours, BigDecimal spikeMinUsd,
                           int attempts, long attemptTimeoutMs, long backoffMs, long maxBackoffMs,
                           long evaluateEveryMs) {

  public static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);
  /** The issue's {@code alerts.spike_factor}. */
  public static final double DEFAULT_SPIKE_FACTOR = 3.0;
  public static final int DEFAULT_SPIKE_WINDOW_HOURS = 24;
  public static final BigDecimal DEFAULT_SPIKE_MIN_USD = new BigDecimal("1.00");
  public static final int DEFAULT_ATTEMPTS = 8;
  public static final long DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_BACKOFF_MS = 1_000;
  public static final long DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;
  /** A tenant's monthly spend is a sum over its keys' hours: not something to recompute 10 times a second. */
  public static final long DEFAULT_EVALUATE_EVERY_MS = 1_000;

  public static final AlertOptions DEFAULTS = new AlertOptions(DEFAULT_THRESHOLDS, DEFAULT_SPIKE_FACTOR,
      DEFAULT_SPIKE_WINDOW_HOURS, DEFAULT_SPIKE_MIN_USD, DEFAULT_ATTEMPTS, DEFAULT_ATTEMPT_TIMEOUT_MS,
      DEFAULT_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS, DEFAULT_EVALUATE_EVERY_MS);

  public AlertOptions {
    thresholds = thresholds == null ? DEFAULT_THRESHOLDS : List.copyOf(thresholds);
    spikeMinUsd = spikeMinUsd == null ? DEFAULT_SPIKE_MIN_USD : spikeMinUsd;
    for (int t : thresholds) {
      if (t < 1 || t > 1_000) {
        throw new IllegalArgumentException("alerts.thresholds: each must be a percentage between 1 and 1000, got " + t);
      }
    }
    if (!(spikeFactor > 1.0) || Double.isInfinite(spikeFactor)) {
      throw new IllegalArgumentException("alerts.spike_factor must be a number above 1, got " + spikeFactor);
    }
    if (spikeWindowHours < 1 || spikeMinUsd.signum() < 0 || attempts < 1 || attemptTimeoutMs < 1 || backoffMs < 1
        || maxBackoffMs < backoffMs || evaluateEveryMs < 0) {
      throw new IllegalArgumentException("alerts: window, attempts, timeout and backoff must be positive, "
          + "spike_min_usd >= 0, max backoff >= backoff");
    }
  }

  public AlertOptions withSpike(double factor, BigDecimal minUsd) {
    return new AlertOptions(thresholds, factor, spikeWindowHours, minUsd, attempts, attemptTimeoutMs, backoffMs,
        maxBackoffMs, evaluateEveryMs);
  }

  public AlertOptions withDelivery(int attempts, long attemptTimeoutMs, long backoffMs, long maxBackoffMs) {
    return new AlertOptions(thresholds, spikeFactor, spikeWindowHours, spikeMinUsd, attempts, attemptTimeoutMs,
        backoffMs, maxBackoffMs, evaluateEveryMs);
  }

  public AlertOptions withEvaluateEveryMs(long ms) {
    return new AlertOptions(thresholds, spikeFactor, spikeWindowHours, spikeMinUsd, attempts, attemptTimeoutMs,
        backoffMs, maxBackoffMs, ms);
  }

  /** The wait before attempt {@code next} (2 is the first retry). */
  long backoffBefore(int next) {
    long wait = backoffMs;
    for (int i = 2; i < next && wait < maxBackoffMs; i++) {
      wait *= 2;
    }
    return Math.min(wait, maxBackoffMs);
  }
}
