package io.tollgate.router;

import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import java.util.List;

/** Orders a model's deployments into the candidates to try, first choice first. */
public interface RoutingPolicy {

  List<DeploymentConfig> candidates(ModelConfig model, RouteRequest request);

  /** The policy named in a model's config; unknown names are refused when the config is loaded. */
  static RoutingPolicy forName(String name) {
    if (ModelConfig.POLICY_PRIORITY.equals(name)) {
      return PriorityPolicy.INSTANCE;
    }
    throw new IllegalArgumentException("unknown routing policy '" + name + "' (known: priority)");
  }
}
