package io.tollgate.api.keys;

import java.time.Instant;
import java.util.List;

/**
 * An API key as every edge node holds it in memory. Only a hash of the secret is kept
 * ({@code secretHash}: lowercase hex SHA-256 of the full secret); the secret itself is shown once.
 *
 * @param models   allowed public model names; empty means every model
 * @param ipAllow  allowed client addresses or CIDR blocks; empty means any
 * @param version  the config version at which this key last changed
 */
public record ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                     boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version) {

  public ApiKey {
    models = models == null ? List.of() : List.copyOf(models);
    ipAllow = ipAllow == null ? List.of() : List.copyOf(ipAllow);
    limits = limits == null ? Limits.NONE : limits;
  }
}
