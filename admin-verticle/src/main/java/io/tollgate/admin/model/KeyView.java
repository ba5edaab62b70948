package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Channel;
import io.tollgate.api.keys.Concurrency;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import java.time.Instant;
import java.util.List;

/**
 * A key in API output. Never carries the hash; {@code key} (the secret) and an external key's
 * {@code signing_secret} are set only in the answer to create and rotate, the one time they can be seen.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyView(String id, String key, String keyHint, String tenantId, String name, List<String> models,
                      boolean enabled, Instant expiresAt, List<String> ipAllow, Long rpm, Long tpm,
                      TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency, long version,
                      CacheConfig cache, Channel channel, boolean frozen, String signingSecret) {

  /** A view without cache settings or channel (the signature before keys had them). */
  public KeyView(String id, String key, String keyHint, String tenantId, String name, List<String> models,
                 boolean enabled, Instant expiresAt, List<String> ipAllow, Long rpm, Long tpm, TokenQuota tokenQuota,
                 BudgetUsd budgetUsd, Concurrency concurrency, long version) {
    this(id, key, keyHint, tenantId, name, models, enabled, expiresAt, ipAllow, rpm, tpm, tokenQuota, budgetUsd,
        concurrency, version, null, Channel.INTERNAL, false, null);
  }

  public static KeyView of(StoredKey stored, String secret) {
    return of(stored, secret, null);
  }

  public static KeyView of(StoredKey stored, String secret, String signingSecret) {
    ApiKey k = stored.key();
    Limits l = k.limits();
    return new KeyView(k.id(), secret, stored.hint(), k.tenantId(), k.name(), k.models(), k.enabled(), k.expiresAt(),
        k.ipAllow(), l.rpm(), l.tpm(), l.tokenQuota(), l.budgetUsd(), l.concurrency(), k.version(), k.cache(),
        k.channel(), k.frozen(), signingSecret);
  }
}
