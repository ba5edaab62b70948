package io.tollgate.router;

import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import java.util.List;

/** Orders a model's deployments into the candidates to try, first choice first. */
public interface RoutingPolicy {

  List<DeploymentConfig> candidates(ModelConfig model, RouteRequest request);

  /** The policy named in a model's config; unknown names are refused where models enter the system. */
  static RoutingPolicy forName(String name) {
    RoutingPolicy policy = forNameOrNull(name);
    if (policy == null) {
      throw new IllegalArgumentException(name == null ? "no routing policy named" : ModelConfig.policyError(name));
    }
    return policy;
  }

  /** The policy, or null if this version does not implement it. */
  static RoutingPolicy forNameOrNull(String name) {
    return ModelConfig.POLICY_PRIORITY.equals(name) ? PriorityPolicy.INSTANCE : null;
  }
}
