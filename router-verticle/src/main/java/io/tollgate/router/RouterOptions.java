package io.tollgate.router;

/**
 * Router settings.
 *
 * @param callMarginMs       added to a deployment's start budget to get how long the router waits for a
 *                           connector's {@code CallStarted} (never past the request's route budget); the
 *                           connector's own timers fire first, so this only matters when a connector node
 *                           dies or stalls. At most {@link io.tollgate.api.config.ModelConfig#ATTEMPT_MARGIN_MS},
 *                           the margin edges assume when they size the route budget.
 * @param redisUrl           where routers keep a snapshot of what they learned, so that a router that joins
 *                           late starts warm; null: no snapshot (a new router starts cold)
 * @param snapshotIntervalMs how often the snapshot is written (by one router of the cluster per interval)
 */
public record RouterOptions(long callMarginMs, String redisUrl, long snapshotIntervalMs) {

  public static final long DEFAULT_CALL_MARGIN_MS = io.tollgate.api.config.ModelConfig.ATTEMPT_MARGIN_MS;
  /** Thirty seconds: a late joiner misses at most that much, and Redis sees one small write per interval. */
  public static final long DEFAULT_SNAPSHOT_INTERVAL_MS = 30_000;
  public static final RouterOptions DEFAULTS = new RouterOptions(DEFAULT_CALL_MARGIN_MS);

  public RouterOptions {
    if (snapshotIntervalMs <= 0) {
      throw new IllegalArgumentException("snapshotIntervalMs must be > 0");
    }
  }

  public RouterOptions(long callMarginMs) {
    this(callMarginMs, null, DEFAULT_SNAPSHOT_INTERVAL_MS);
  }

  /** These options with routing statistics snapshotted in the Redis at {@code url} (null: none). */
  public RouterOptions withRedis(String url) {
    return new RouterOptions(callMarginMs, url, snapshotIntervalMs);
  }
}
