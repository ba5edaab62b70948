package io.tollgate.router.policy;

import java.util.Map;

/**
 * What a router had learned at {@code takenAtMillis} (wall clock, so that another node can decay
 * it by the time that passed): model -> deployment id -> statistics.
 */
public record RoutingSnapshot(long takenAtMillis, Map<String, Map<String, ArmSnapshot>> models) {

  public RoutingSnapshot {
    models = models == null ? Map.of() : models;
  }
}
