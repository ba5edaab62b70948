package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.admin.AdminErrors;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Channel;
import io.tollgate.api.keys.Concurrency;
import io.tollgate.api.keys.IpAllowList;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.api.keys.WholeNumber;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /admin/v1/keys} and, merged over the current key, of PATCH. Limits are
 * flat on the key ({@code rpm}, {@code tpm}, {@code token_quota}, {@code budget_usd},
 * {@code concurrency}). Counts are 64-bit whole numbers; one out of range or of the wrong type is a
 * 400 naming the field ({@link WholeNumber}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyBody(String tenantId, String name, List<String> models, Instant expiresAt, List<String> ipAllow,
                      @JsonDeserialize(using = WholeNumber.class) Long rpm,
                      @JsonDeserialize(using = WholeNumber.class) Long tpm,
                      TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency,
                      Boolean enabled, CacheConfig cache, Channel channel) {

  /** A body without cache settings, for a key of a channel. */
  public KeyBody(String tenantId, String name, List<String> models, Instant expiresAt, List<String> ipAllow, Long rpm,
                 Long tpm, TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency, Boolean enabled,
                 Channel channel) {
    this(tenantId, name, models, expiresAt, ipAllow, rpm, tpm, tokenQuota, budgetUsd, concurrency, enabled, null,
        channel);
  }

  /** A body with cache settings, for an internal key. */
  public KeyBody(String tenantId, String name, List<String> models, Instant expiresAt, List<String> ipAllow, Long rpm,
                 Long tpm, TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency, Boolean enabled,
                 CacheConfig cache) {
    this(tenantId, name, models, expiresAt, ipAllow, rpm, tpm, tokenQuota, budgetUsd, concurrency, enabled, cache,
        null);
  }

  /** The body before channels and cache settings existed: an internal key. */
  public KeyBody(String tenantId, String name, List<String> models, Instant expiresAt, List<String> ipAllow,
                 Long rpm, Long tpm, TokenQuota tokenQuota, BudgetUsd budgetUsd, Concurrency concurrency,
                 Boolean enabled) {
    this(tenantId, name, models, expiresAt, ipAllow, rpm, tpm, tokenQuota, budgetUsd, concurrency, enabled,
        (CacheConfig) null, (Channel) null);
  }

  public KeyBody validated() {
    Checks.required(tenantId, "tenant_id");
    Checks.required(name, "name");
    // Before building Limits, whose constructor refuses these without naming the field.
    Checks.nonNegative(rpm, "rpm");
    Checks.nonNegative(tpm, "tpm");
    Checks.limits(limits(), "");
    String[] cacheError = cache == null ? null : cache.error("cache");
    if (cacheError != null) {
      throw AdminErrors.badRequest("'" + cacheError[0] + "': " + cacheError[1], cacheError[0]);
    }
    if (models != null) {
      for (int i = 0; i < models.size(); i++) {
        Checks.required(models.get(i), "models[" + i + "]");
      }
    }
    if (ipAllow != null) {
      for (int i = 0; i < ipAllow.size(); i++) {
        String entry = ipAllow.get(i);
        if (!IpAllowList.valid(entry)) {
          throw AdminErrors.badRequest("'ip_allow[" + i + "]' must be an IP address or CIDR block",
              "ip_allow[" + i + "]");
        }
      }
    }
    return this;
  }

  public Limits limits() {
    return new Limits(rpm, tpm, tokenQuota, budgetUsd, concurrency);
  }

  /**
   * A config file's key as the body that creates or updates it in {@code tenantId}, validated;
   * what the file does not say (expiry, IP allow-list, enabled) is kept from {@code current}.
   */
  public static KeyBody bootstrap(String tenantId, KeyConfig file, ApiKey current) {
    return new KeyBody(tenantId, file.name(), file.models(),
        current == null ? null : current.expiresAt(), current == null ? null : current.ipAllow(), file.rpm(),
        file.tpm(), file.tokenQuota(), file.budgetUsd(), file.concurrency(), current == null || current.enabled(),
        file.cache(), current == null ? Channel.INTERNAL : current.channel()).validated();
  }

  public static KeyBody of(ApiKey key) {
    Limits l = key.limits();
    return new KeyBody(key.tenantId(), key.name(), key.models(), key.expiresAt(), key.ipAllow(), l.rpm(), l.tpm(),
        l.tokenQuota(), l.budgetUsd(), l.concurrency(), key.enabled(), key.cache(), key.channel());
  }

  /** The channel asked for; none is internal. */
  public Channel channelOrDefault() {
    return channel == null ? Channel.INTERNAL : channel;
  }

  /** A new (unfrozen) key. */
  public ApiKey toKey(String id, String secretHash, long version) {
    return toKey(id, secretHash, version, false);
  }

  public ApiKey toKey(String id, String secretHash, long version, boolean frozen) {
    return new ApiKey(id, tenantId, name, secretHash, models, enabled == null || enabled, expiresAt, ipAllow,
        limits(), version, cache, channelOrDefault(), frozen);
  }
}
