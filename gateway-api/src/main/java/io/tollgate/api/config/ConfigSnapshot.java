package io.tollgate.api.config;

import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Tenant;
import java.util.List;

/**
 * Everything an edge or router node keeps in memory to serve requests without reading a database:
 * tenants, API keys (hashes only), the model registry and the gateway-wide limits, as of {@code version}.
 * Deployments' {@code api_key}s are references ({@link CredentialRef}), never literal keys, when the
 * snapshot comes from an admin node.
 *
 * @param limits the gateway-wide limits the edges enforce ({@link GlobalLimits#NONE}: none)
 */
public record ConfigSnapshot(long version, List<Tenant> tenants, List<ApiKey> keys, List<ModelConfig> models,
                             GlobalLimits limits) {

  public ConfigSnapshot(long version, List<Tenant> tenants, List<ApiKey> keys, List<ModelConfig> models) {
    this(version, tenants, keys, models, null);
  }

  public ConfigSnapshot {
    limits = limits == null ? GlobalLimits.NONE : limits;
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
    keys = keys == null ? List.of() : List.copyOf(keys);
    models = models == null ? List.of() : List.copyOf(models);
  }
}
