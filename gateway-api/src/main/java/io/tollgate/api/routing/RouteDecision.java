package io.tollgate.api.routing;

/**
 * Why a router sent a request where it did, carried from the router through the connector into
 * every outcome and usage event, so that routing statistics, offline policy evaluation and the
 * ledger all see the same decision.
 *
 * @param policy         the policy that decided ({@code priority}, {@code thompson} ...)
 * @param routingVersion the version of the model's routing configuration that was in force
 * @param propensity     the probability with which the policy picked its first choice (1 for a
 *                       deterministic policy); failover candidates after it carry the same decision
 * @param reason         a short human-readable explanation (which rule matched, "explore", "exploit")
 */
public record RouteDecision(String policy, String routingVersion, double propensity, String reason) {

  /** A decision that was not recorded (old senders, tests). */
  public static final RouteDecision UNKNOWN = new RouteDecision(null, null, 1.0, null);

  public RouteDecision {
    if (!(propensity >= 0 && propensity <= 1)) {
      throw new IllegalArgumentException("propensity must be within [0, 1], got " + propensity);
    }
  }
}
