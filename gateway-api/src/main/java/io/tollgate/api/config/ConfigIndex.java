package io.tollgate.api.config;

import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookups over one {@link ConfigSnapshot}: model by public name or alias, key by secret hash,
 * tenant by id. Built once per snapshot and then read without locks from any thread.
 *
 * <p>An immutable {@link ConfigSnapshot} with the lookups the data path needs: key by secret hash,
 * model by name or alias, tenant by id. Applying an event returns a new index; the old one stays
 * valid for readers that still hold it.
 */
public final class ConfigIndex {

  /** No configuration yet (version 0, nothing known). */
  public static final ConfigIndex EMPTY = new ConfigIndex(new ConfigSnapshot(0, null, null, null));

  private final ConfigSnapshot snapshot;
  private final Map<String, Tenant> tenantsById;
  private final Map<String, ApiKey> keysById;
  private final Map<String, ApiKey> keysByHash;
  private final Map<String, ModelConfig> modelsByName;
  private final Map<String, ModelConfig> modelsByNameOrAlias;

  public ConfigIndex(ConfigSnapshot snapshot) {
    this.snapshot = snapshot;
    Map<String, Tenant> tenants = new LinkedHashMap<>();
    snapshot.tenants().forEach(t -> tenants.put(t.id(), t));
    Map<String, ApiKey> keys = new LinkedHashMap<>();
    Map<String, ApiKey> hashes = new HashMap<>();
    for (ApiKey k : snapshot.keys()) {
      keys.put(k.id(), k);
      hashes.put(k.secretHash(), k);
    }
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    Map<String, ModelConfig> names = new HashMap<>();
    for (ModelConfig m : snapshot.models()) {
      models.put(m.name(), m);
      m.aliases().forEach(a -> names.put(a, m));
    }
    // A model's own name wins over another model's alias of the same spelling.
    names.putAll(models);
    expandRules(names);
    this.tenantsById = Collections.unmodifiableMap(tenants);
    this.keysById = Collections.unmodifiableMap(keys);
    this.keysByHash = Collections.unmodifiableMap(hashes);
    this.modelsByName = Collections.unmodifiableMap(models);
    this.modelsByNameOrAlias = Collections.unmodifiableMap(names);
  }

  /**
   * A rules model (such as {@code auto}) has no deployments of its own; looked up, it carries those
   * of the models its rules name (each once), so that whatever sizes a request by the model's
   * deployments (route budget, cost reservation, stream timeouts of the deployment that served)
   * sees the deployments that may serve it. {@link #models()} and the snapshot keep it as configured.
   */
  private static void expandRules(Map<String, ModelConfig> names) {
    for (Map.Entry<String, ModelConfig> e : names.entrySet()) {
      ModelConfig m = e.getValue();
      if (!m.routesByRules()) {
        continue;
      }
      Map<String, DeploymentConfig> union = new LinkedHashMap<>();
      m.deployments().forEach(d -> union.putIfAbsent(d.id(), d));
      for (RouteRule rule : m.rules()) {
        ModelConfig target = rule == null ? null : names.get(rule.model());
        if (target != null && !target.routesByRules()) {
          target.deployments().forEach(d -> union.putIfAbsent(d.id(), d));
        }
      }
      e.setValue(m.withDeployments(new ArrayList<>(union.values())));
    }
  }

  public long version() {
    return snapshot.version();
  }

  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  /** The key whose secret hashes to {@code secretHash} ({@link Secrets#hash}), or null. */
  public ApiKey keyByHash(String secretHash) {
    return keysByHash.get(secretHash);
  }

  /** The key with this secret, or null; hashes the secret. */
  public ApiKey keyBySecret(String secret) {
    return keysByHash.get(Secrets.hash(secret));
  }

  public ApiKey key(String id) {
    return keysById.get(id);
  }

  public Tenant tenant(String id) {
    return tenantsById.get(id);
  }

  /** The model with this public name or alias, or null. */
  public ModelConfig model(String nameOrAlias) {
    return modelsByNameOrAlias.get(nameOrAlias);
  }

  public List<ModelConfig> models() {
    return snapshot.models();
  }

  public List<ApiKey> keys() {
    return snapshot.keys();
  }

  public List<Tenant> tenants() {
    return snapshot.tenants();
  }

  /** The gateway-wide limits of this configuration ({@link GlobalLimits#NONE} when none are set). */
  public GlobalLimits limits() {
    return snapshot.limits();
  }

  /** This index with {@code event} applied, at the event's version. */
  public ConfigIndex apply(ConfigEvent event) {
    Map<String, Tenant> tenants = new LinkedHashMap<>(tenantsById);
    Map<String, ApiKey> keys = new LinkedHashMap<>(keysById);
    Map<String, ModelConfig> models = new LinkedHashMap<>(modelsByName);
    GlobalLimits limits = snapshot.limits();
    switch (event.kind()) {
      case TENANT -> put(tenants, event.id(), event.removed() ? null : event.tenant());
      case KEY -> put(keys, event.id(), event.removed() ? null : event.key());
      case MODEL -> put(models, event.id(), event.removed() ? null : event.model());
      case LIMITS -> limits = event.removed() ? GlobalLimits.NONE : event.limits();
      default -> throw new IllegalArgumentException("unknown kind " + event.kind());
    }
    return new ConfigIndex(new ConfigSnapshot(event.version(), new ArrayList<>(tenants.values()),
        new ArrayList<>(keys.values()), new ArrayList<>(models.values()), limits));
  }

  private static <V> void put(Map<String, V> map, String id, V value) {
    if (value == null) {
      map.remove(id);
    } else {
      map.put(id, value);
    }
  }
}
