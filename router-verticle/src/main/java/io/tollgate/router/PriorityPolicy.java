package io.tollgate.router;

import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import java.util.Comparator;
import java.util.List;

/**
 * Ordered fallback: lowest {@code priority} first, config order among equals. Deployments with
 * weight 0 are drained: never chosen.
 */
final class PriorityPolicy implements RoutingPolicy {

  static final PriorityPolicy INSTANCE = new PriorityPolicy();

  private PriorityPolicy() {
  }

  @Override
  public List<DeploymentConfig> candidates(ModelConfig model, RouteRequest request) {
    return model.deployments().stream()
        .filter(d -> d.weight() > 0)
        .sorted(Comparator.comparingInt(DeploymentConfig::priority))
        .toList();
  }
}
