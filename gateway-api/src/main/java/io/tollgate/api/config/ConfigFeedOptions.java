package io.tollgate.api.config;

/** Timing of a {@link ConfigFeed}; every value has a named default. */
public final class ConfigFeedOptions {

  /** How often the feed asks the admin role for its version to catch a missed event. */
  public static final long DEFAULT_CHECK_INTERVAL_MS = 5_000;
  /** Pause between attempts to load the first snapshot while no admin node answers. */
  public static final long DEFAULT_RETRY_INTERVAL_MS = 1_000;
  /** Reply timeout of a snapshot or version request. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

  private long checkIntervalMs = DEFAULT_CHECK_INTERVAL_MS;
  private long retryIntervalMs = DEFAULT_RETRY_INTERVAL_MS;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;

  public long getCheckIntervalMs() {
    return checkIntervalMs;
  }

  public ConfigFeedOptions setCheckIntervalMs(long checkIntervalMs) {
    this.checkIntervalMs = positive(checkIntervalMs, "checkIntervalMs");
    return this;
  }

  public long getRetryIntervalMs() {
    return retryIntervalMs;
  }

  public ConfigFeedOptions setRetryIntervalMs(long retryIntervalMs) {
    this.retryIntervalMs = positive(retryIntervalMs, "retryIntervalMs");
    return this;
  }

  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public ConfigFeedOptions setRequestTimeoutMs(long requestTimeoutMs) {
    this.requestTimeoutMs = positive(requestTimeoutMs, "requestTimeoutMs");
    return this;
  }

  private static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0");
    }
    return value;
  }
}
