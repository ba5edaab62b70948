package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The config file (YAML): models with their deployments, bootstrap API keys, and optionally where
 * the databases are, the gateway-wide limits, where connectors may send requests ({@code egress})
 * and how long the audit log is kept ({@code audit}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GatewayConfig(List<ModelConfig> models, List<KeyConfig> keys, StorageConfig storage,
                            GlobalLimits limits, EgressPolicy egress, AuditConfig audit) {

  public GatewayConfig(List<ModelConfig> models, List<KeyConfig> keys) {
    this(models, keys, null, null, null, null);
  }

  public GatewayConfig(List<ModelConfig> models, List<KeyConfig> keys, StorageConfig storage, GlobalLimits limits) {
    this(models, keys, storage, limits, null, null);
  }

  public GatewayConfig(List<ModelConfig> models, List<KeyConfig> keys, StorageConfig storage, GlobalLimits limits,
                       EgressPolicy egress) {
    this(models, keys, storage, limits, egress, null);
  }

  public GatewayConfig {
    models = models == null ? List.of() : List.copyOf(models);
    keys = keys == null ? List.of() : List.copyOf(keys);
    storage = storage == null ? StorageConfig.NONE : storage;
    limits = limits == null ? GlobalLimits.NONE : limits;
    egress = egress == null ? EgressPolicy.DEFAULTS : egress;
    audit = audit == null ? AuditConfig.NONE : audit;
    Set<String> names = new HashSet<>();
    Set<String> deployments = new HashSet<>();
    for (ModelConfig m : models) {
      for (String n : concat(m.name(), m.aliases())) {
        if (!names.add(n)) {
          throw new IllegalArgumentException("model name or alias '" + n + "' is used twice");
        }
      }
      for (DeploymentConfig d : m.deployments()) {
        if (!deployments.add(d.id())) {
          throw new IllegalArgumentException("deployment id '" + d.id() + "' is used twice");
        }
      }
    }
    Set<String> keyNames = new HashSet<>();
    for (KeyConfig k : keys) {
      if (!keyNames.add(k.name())) {
        throw new IllegalArgumentException("key name '" + k.name() + "' is used twice");
      }
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    var all = new java.util.ArrayList<String>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
