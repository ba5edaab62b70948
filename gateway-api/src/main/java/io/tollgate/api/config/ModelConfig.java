package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * A model as clients see it: a public name (and aliases) served by one or more deployments under
 * a routing policy. {@code priority} (ordered fallback before the first byte) is the default.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelConfig(String name, List<String> aliases, String policy, List<DeploymentConfig> deployments) {

  public static final String POLICY_PRIORITY = "priority";

  public ModelConfig {
    Objects.requireNonNull(name, "model name is required");
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    policy = policy == null ? POLICY_PRIORITY : policy;
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    if (deployments.isEmpty()) {
      throw new IllegalArgumentException("model " + name + ": at least one deployment is required");
    }
  }
}
