package io.tollgate.launcher;

import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import java.util.List;

/** Turns a config file into the in-memory snapshot that edge and router nodes serve from. */
final class Snapshots {

  /** Bootstrap keys from the config file belong to this tenant. */
  static final String DEFAULT_TENANT = "default";

  private Snapshots() {
  }

  static ConfigSnapshot fromConfig(GatewayConfig config) {
    List<ApiKey> keys = config.keys().stream().map(Snapshots::key).toList();
    Tenant tenant = new Tenant(DEFAULT_TENANT, DEFAULT_TENANT, true, Limits.NONE, 0);
    return new ConfigSnapshot(0, List.of(tenant), keys, config.models(), config.limits());
  }

  private static ApiKey key(KeyConfig k) {
    return new ApiKey("config:" + k.name(), DEFAULT_TENANT, k.name(), Secrets.hash(k.secret()), k.models(), true,
        null, List.of(), k.limits(), 0, k.cache());
  }
}
