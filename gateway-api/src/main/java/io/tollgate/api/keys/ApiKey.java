package io.tollgate.api.keys;

import io.tollgate.api.config.CacheConfig;
import java.time.Instant;
import java.util.List;

/**
 * An API key as every edge node holds it in memory. Only a hash of the secret is kept
 * ({@code secretHash}: lowercase hex SHA-256 of the full secret); the secret itself is shown once.
 *
 * @param models   allowed public model names; empty means every model
 * @param ipAllow  allowed client addresses or CIDR blocks; empty means any
 * @param version  the config version at which this key last changed
 * @param cache    the key's response-cache settings, field by field over its models' (null: the models')
 */
public record ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                     boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version,
                     CacheConfig cache) {

  public ApiKey {
    models = models == null ? List.of() : List.copyOf(models);
    ipAllow = ipAllow == null ? List.of() : List.copyOf(ipAllow);
    limits = limits == null ? Limits.NONE : limits;
  }

  /** A key without cache settings of its own (the signature before key-level cache settings existed). */
  public ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version) {
    this(id, tenantId, name, secretHash, models, enabled, expiresAt, ipAllow, limits, version, null);
  }
}
