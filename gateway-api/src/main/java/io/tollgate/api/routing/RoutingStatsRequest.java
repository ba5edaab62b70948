package io.tollgate.api.routing;

/** Admin -> router ({@link io.tollgate.api.Addresses#ROUTER_STATS}): the routing statistics of one model. */
public record RoutingStatsRequest(String model) {
}
