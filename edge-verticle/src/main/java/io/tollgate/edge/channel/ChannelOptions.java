package io.tollgate.edge.channel;

import io.tollgate.api.keys.Limits;

/**
 * Settings of the external channel, read once at start.
 *
 * @param windowSeconds      how far x-tollgate-timestamp may be from the gateway's clock, either way;
 *                           nonces are kept for twice this, so a replay is refused for as long as its
 *                           timestamp could still pass
 * @param freezeAfter        bad signatures within {@code freezePeriodMs} that freeze the key
 * @param freezePeriodMs     the period they are counted in (from the first one)
 * @param secretTimeoutMs    how long an edge waits for an admin node's answer with a signing secret
 * @param redisPrefix        prefix of the channel's Redis keys (nonces, failure counters)
 * @param externalDefaults   limits an external key gets where it sets none of its own (per field)
 */
public record ChannelOptions(long windowSeconds, long freezeAfter, long freezePeriodMs, long secretTimeoutMs,
                             String redisPrefix, Limits externalDefaults) {

  public static final long DEFAULT_WINDOW_SECONDS = 300;
  public static final long DEFAULT_FREEZE_AFTER = 5;
  public static final long DEFAULT_FREEZE_PERIOD_MS = 10 * 60_000L;
  public static final long DEFAULT_SECRET_TIMEOUT_MS = 2_000;
  public static final String DEFAULT_REDIS_PREFIX = "tg:ch:";
  /** Partners get a modest rate unless their key says otherwise; internal keys keep "unlimited". */
  public static final long DEFAULT_EXTERNAL_RPM = 60;
  public static final Limits DEFAULT_EXTERNAL_LIMITS = new Limits(DEFAULT_EXTERNAL_RPM, null, null, null, null);
  public static final ChannelOptions DEFAULTS = new ChannelOptions(DEFAULT_WINDOW_SECONDS, DEFAULT_FREEZE_AFTER,
      DEFAULT_FREEZE_PERIOD_MS, DEFAULT_SECRET_TIMEOUT_MS, DEFAULT_REDIS_PREFIX, DEFAULT_EXTERNAL_LIMITS);

  public ChannelOptions {
    if (windowSeconds < 1 || freezeAfter < 1 || freezePeriodMs < 1 || secretTimeoutMs < 1) {
      throw new IllegalArgumentException("channel window, freeze threshold, period and secret timeout must be positive");
    }
    redisPrefix = redisPrefix == null ? DEFAULT_REDIS_PREFIX : redisPrefix;
    externalDefaults = externalDefaults == null ? Limits.NONE : externalDefaults;
  }

  public ChannelOptions withWindowSeconds(long seconds) {
    return new ChannelOptions(seconds, freezeAfter, freezePeriodMs, secretTimeoutMs, redisPrefix, externalDefaults);
  }

  public ChannelOptions withFreeze(long after, long periodMs) {
    return new ChannelOptions(windowSeconds, after, periodMs, secretTimeoutMs, redisPrefix, externalDefaults);
  }

  public ChannelOptions withExternalDefaults(Limits limits) {
    return new ChannelOptions(windowSeconds, freezeAfter, freezePeriodMs, secretTimeoutMs, redisPrefix, limits);
  }
}
