package io.tollgate.launcher;

import io.tollgate.edge.channel.ChannelOptions;
import io.tollgate.api.keys.Limits;
import java.util.function.Function;

/**
 * The external channel's settings from the environment, read once at start:
 * <pre>
 * TOLLGATE_CHANNEL_WINDOW_SECONDS (300)      how far a signed request's timestamp may be from now
 * TOLLGATE_CHANNEL_FREEZE_AFTER (5)          bad signatures that freeze a key ...
 * TOLLGATE_CHANNEL_FREEZE_PERIOD_SECONDS (600) ... within this period
 * TOLLGATE_CHANNEL_EXTERNAL_RPM (60)         requests per minute of an external key that sets no rpm
 * </pre>
 * A value that is not a positive whole number stops the node with a message naming the variable.
 */
final class ChannelSettings {

  private ChannelSettings() {
  }

  static ChannelOptions from(Function<String, String> env) {
    ChannelOptions d = ChannelOptions.DEFAULTS;
    long window = positive(env, "TOLLGATE_CHANNEL_WINDOW_SECONDS", d.windowSeconds());
    long after = positive(env, "TOLLGATE_CHANNEL_FREEZE_AFTER", d.freezeAfter());
    long periodMs = positive(env, "TOLLGATE_CHANNEL_FREEZE_PERIOD_SECONDS", d.freezePeriodMs() / 1_000) * 1_000;
    long rpm = positive(env, "TOLLGATE_CHANNEL_EXTERNAL_RPM", ChannelOptions.DEFAULT_EXTERNAL_RPM);
    return d.withWindowSeconds(window).withFreeze(after, periodMs)
        .withExternalDefaults(new Limits(rpm, null, null, null, null));
  }

  private static long positive(Function<String, String> env, String name, long fallback) {
    String raw = env.apply(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(name + " must be a positive whole number, got '" + raw + "'");
  }
}
