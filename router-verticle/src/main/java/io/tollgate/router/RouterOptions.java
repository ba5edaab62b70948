package io.tollgate.router;

/**
 * Router settings.
 *
 * @param callMarginMs added to a deployment's start budget to get how long the router waits for a
 *                     connector's {@code CallStarted} (never past the request's route budget); the
 *                     connector's own timers fire first, so this only matters when a connector node
 *                     dies or stalls. At most {@link io.tollgate.api.config.ModelConfig#ATTEMPT_MARGIN_MS},
 *                     the margin edges assume when they size the route budget.
 */
public record RouterOptions(long callMarginMs) {

  public static final long DEFAULT_CALL_MARGIN_MS = io.tollgate.api.config.ModelConfig.ATTEMPT_MARGIN_MS;
  public static final RouterOptions DEFAULTS = new RouterOptions(DEFAULT_CALL_MARGIN_MS);
}
