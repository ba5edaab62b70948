package io.tollgate.router;

/**
 * Router settings.
 *
 * @param callMarginMs added to a deployment's connect + first-byte timeouts to get how long the
 *                     router waits for a connector's {@code CallStarted}; the connector's own
 *                     timers fire first, so this only matters when a connector node dies
 */
public record RouterOptions(long callMarginMs) {

  public static final long DEFAULT_CALL_MARGIN_MS = 2_000;
  public static final RouterOptions DEFAULTS = new RouterOptions(DEFAULT_CALL_MARGIN_MS);
}
