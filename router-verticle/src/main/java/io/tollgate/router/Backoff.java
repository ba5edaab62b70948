package io.tollgate.router;

import io.tollgate.api.config.RoutingOptions;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying the same deployment again: exponential backoff with "full jitter"
 * (a uniformly random wait up to the exponential bound), so that many routers retrying one upstream
 * after the same blip do not come back in lock step; never shorter than the upstream's
 * {@code Retry-After}, which says best when it can take the call.
 */
final class Backoff {

  private Backoff() {
  }

  /**
   * @param retry        1 for the first retry of a deployment, 2 for the second ...
   * @param retryAfterMs the upstream's {@code Retry-After} on the failure being retried, 0 if none
   */
  static long delayMs(RoutingOptions options, int retry, long retryAfterMs, RandomGenerator random) {
    long base = options.retryBackoffMsOrDefault();
    long cap = options.retryBackoffMaxMsOrDefault();
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long bound = base == 0 ? 0 : Math.min(cap, base << shift);
    long jittered = bound <= 0 ? 0 : random.nextLong(bound + 1);
    return Math.max(jittered, retryAfterMs);
  }
}
