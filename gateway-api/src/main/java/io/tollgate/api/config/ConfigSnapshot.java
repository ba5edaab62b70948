package io.tollgate.api.config;

import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Tenant;
import java.util.List;

/**
 * Everything an edge or router node keeps in memory to serve requests without reading a database:
 * tenants, API keys (hashes only) and the model registry, as of {@code version}.
 */
public record ConfigSnapshot(long version, List<Tenant> tenants, List<ApiKey> keys, List<ModelConfig> models) {

  public ConfigSnapshot {
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
    keys = keys == null ? List.of() : List.copyOf(keys);
    models = models == null ? List.of() : List.copyOf(models);
  }
}
