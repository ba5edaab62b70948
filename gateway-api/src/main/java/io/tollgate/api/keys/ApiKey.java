package io.tollgate.api.keys;

import io.tollgate.api.config.CacheConfig;
import java.time.Instant;
import java.util.List;

/**
 * An API key as every edge node holds it in memory. Only a hash of the secret is kept
 * ({@code secretHash}: lowercase hex SHA-256 of the full secret); the secret itself is shown once.
 * An external key's signing secret is not here either: edges ask an admin node for it
 * ({@code ConfigAddresses.SIGNING_SECRET}), so it never travels in snapshots or config events.
 *
 * @param models   allowed public model names; empty means every model
 * @param ipAllow  allowed client addresses or CIDR blocks; empty means any
 * @param version  the config version at which this key last changed
 * @param cache    the key's response-cache settings, field by field over its models' (null: the models')
 * @param channel  internal (bearer only, the default) or external (signed requests, sanitized answers)
 * @param frozen   the key froze itself after too many bad signatures: refused with 403 until unfrozen
 */
public record ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                     boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version,
                     CacheConfig cache, Channel channel, boolean frozen) {

  public ApiKey {
    models = models == null ? List.of() : List.copyOf(models);
    ipAllow = ipAllow == null ? List.of() : List.copyOf(ipAllow);
    limits = limits == null ? Limits.NONE : limits;
    channel = channel == null ? Channel.INTERNAL : channel;
  }

  /** An internal, unfrozen key without cache settings of its own (the shape before either existed). */
  public ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version) {
    this(id, tenantId, name, secretHash, models, enabled, expiresAt, ipAllow, limits, version, null,
        Channel.INTERNAL, false);
  }

  /** An internal, unfrozen key with cache settings. */
  public ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version,
                CacheConfig cache) {
    this(id, tenantId, name, secretHash, models, enabled, expiresAt, ipAllow, limits, version, cache,
        Channel.INTERNAL, false);
  }

  /** A key of a channel, without cache settings of its own. */
  public ApiKey(String id, String tenantId, String name, String secretHash, List<String> models,
                boolean enabled, Instant expiresAt, List<String> ipAllow, Limits limits, long version,
                Channel channel, boolean frozen) {
    this(id, tenantId, name, secretHash, models, enabled, expiresAt, ipAllow, limits, version, null, channel,
        frozen);
  }

  public boolean external() {
    return channel == Channel.EXTERNAL;
  }
}
