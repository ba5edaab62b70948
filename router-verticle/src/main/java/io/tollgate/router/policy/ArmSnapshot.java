package io.tollgate.router.policy;

/**
 * One deployment's learned statistics as stored in a routing snapshot (decayed counts, sums,
 * EWMAs; NaN EWMAs as null). Breakers are not part of it: they follow the last few outcomes, which a
 * late joiner sees itself within seconds.
 */
public record ArmSnapshot(double requests, double successes, double failures, double rewardSum, double costSum,
                          Double ewmaLatencyMs, Double ewmaTtftMs) {
}
