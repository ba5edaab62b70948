package io.tollgate.api.config;

import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Tenant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookups over one {@link ConfigSnapshot}: model by public name or alias, key by secret hash,
 * tenant by id. Built once per snapshot and then read without locks from any thread.
 */
public final class ConfigIndex {

  private final ConfigSnapshot snapshot;
  private final Map<String, ModelConfig> models = new HashMap<>();
  private final Map<String, ApiKey> keysByHash = new HashMap<>();
  private final Map<String, Tenant> tenants = new HashMap<>();

  public ConfigIndex(ConfigSnapshot snapshot) {
    this.snapshot = snapshot;
    for (ModelConfig m : snapshot.models()) {
      models.put(m.name(), m);
      for (String alias : m.aliases()) {
        models.put(alias, m);
      }
    }
    for (ApiKey k : snapshot.keys()) {
      keysByHash.put(k.secretHash(), k);
    }
    for (Tenant t : snapshot.tenants()) {
      tenants.put(t.id(), t);
    }
  }

  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  public long version() {
    return snapshot.version();
  }

  /** The model a client name refers to (its public name or an alias), or null. */
  public ModelConfig model(String nameOrAlias) {
    return models.get(nameOrAlias);
  }

  public List<ModelConfig> models() {
    return snapshot.models();
  }

  public ApiKey keyByHash(String secretHash) {
    return keysByHash.get(secretHash);
  }

  public Tenant tenant(String id) {
    return tenants.get(id);
  }
}
