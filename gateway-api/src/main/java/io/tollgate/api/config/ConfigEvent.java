package io.tollgate.api.config;

import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Tenant;
import java.util.Objects;

/**
 * One committed configuration change, published on {@link ConfigAddresses#EVENTS}. Versions come
 * from one counter incremented in the changing transaction, so a node that has applied version
 * {@code n} can apply {@code n + 1} without reading anything; a larger jump means it missed one.
 *
 * @param id      the tenant id, key id or model name
 * @param removed the entity was deleted; the value field is then null
 * @param tenant  the new tenant when {@code kind} is {@link Kind#TENANT}
 * @param key     the new key (hash only) when {@code kind} is {@link Kind#KEY}
 * @param model   the new model when {@code kind} is {@link Kind#MODEL}
 * @param limits  the new gateway-wide limits when {@code kind} is {@link Kind#LIMITS} (id {@link #LIMITS_ID})
 */
public record ConfigEvent(long version, Kind kind, String id, boolean removed, Tenant tenant, ApiKey key,
                          ModelConfig model, GlobalLimits limits) {

  /** What changed. */
  public enum Kind { TENANT, KEY, MODEL, LIMITS }

  /** The id of the one {@link Kind#LIMITS} entity. */
  public static final String LIMITS_ID = "global";

  public ConfigEvent(long version, Kind kind, String id, boolean removed, Tenant tenant, ApiKey key,
                     ModelConfig model) {
    this(version, kind, id, removed, tenant, key, model, null);
  }

  public ConfigEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  public static ConfigEvent tenant(long version, Tenant tenant) {
    return new ConfigEvent(version, Kind.TENANT, tenant.id(), false, tenant, null, null);
  }

  public static ConfigEvent key(long version, ApiKey key) {
    return new ConfigEvent(version, Kind.KEY, key.id(), false, null, key, null);
  }

  public static ConfigEvent model(long version, ModelConfig model) {
    return new ConfigEvent(version, Kind.MODEL, model.name(), false, null, null, model);
  }

  public static ConfigEvent limits(long version, GlobalLimits limits) {
    return new ConfigEvent(version, Kind.LIMITS, LIMITS_ID, false, null, null, null,
        limits == null ? GlobalLimits.NONE : limits);
  }

  public static ConfigEvent removed(long version, Kind kind, String id) {
    return new ConfigEvent(version, kind, id, true, null, null, null);
  }
}
