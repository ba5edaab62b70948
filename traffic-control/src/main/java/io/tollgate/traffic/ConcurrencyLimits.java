package io.tollgate.traffic;

/**
 * Bounds of one concurrency scope.
 *
 * @param maxConcurrent requests running at once
 * @param maxQueue      requests waiting for a slot; one more fails at once
 * @param maxWaitMs     how long a request may wait for a slot before it fails
 */
public record ConcurrencyLimits(int maxConcurrent, int maxQueue, long maxWaitMs) {

  public ConcurrencyLimits {
    if (maxConcurrent < 1 || maxQueue < 0 || maxWaitMs < 0) {
      throw new IllegalArgumentException("need maxConcurrent >= 1, maxQueue >= 0, maxWaitMs >= 0");
    }
  }

  /** The bounds a tenant, key or deployment config states, or null when it sets no limit. */
  public static ConcurrencyLimits of(io.tollgate.api.keys.Concurrency c) {
    return c == null || !c.limited() ? null : new ConcurrencyLimits(c.maxConcurrent(), c.maxQueue(), c.maxWaitMs());
  }
}
