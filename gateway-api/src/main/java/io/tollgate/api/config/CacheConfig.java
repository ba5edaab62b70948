package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A model's {@code cache} block. For chat models it opts in to the exact response cache (absent:
 * no response caching); for embedding models it tunes the embedding cache, which is on by default
 * ({@code enabled: false} turns it off). Entries are always per tenant.
 *
 * @param enabled        false turns caching off for this model; null or true: on
 * @param ttlSeconds     how long an entry lives; null: {@link #DEFAULT_TTL_SECONDS} for chat answers,
 *                       the edge's embedding default for embeddings
 * @param maxTemperature chat only: requests whose temperature is above this are never cached; an
 *                       unset temperature counts as {@link #PROVIDER_DEFAULT_TEMPERATURE} (what
 *                       OpenAI and Anthropic sample with); null: {@link #DEFAULT_MAX_TEMPERATURE}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheConfig(Boolean enabled, Long ttlSeconds, Double maxTemperature) {

  /** A chat answer is served from the cache for five minutes by default: a short window for exact repeats. */
  public static final long DEFAULT_TTL_SECONDS = 300;
  /** Only deterministic requests (temperature 0) are cached unless the model says otherwise. */
  public static final double DEFAULT_MAX_TEMPERATURE = 0.0;
  /** The temperature a request without one is sampled at by OpenAI and Anthropic. */
  public static final double PROVIDER_DEFAULT_TEMPERATURE = 1.0;
  /** The longest TTL accepted: entries are answers, not archives. */
  public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;

  /**
   * A key's block over its model's, field by field: the key may opt in a model without a block,
   * opt out ({@code enabled: false}), or change the TTL or temperature bound. Either may be null.
   */
  public static CacheConfig overriding(CacheConfig model, CacheConfig key) {
    if (key == null || model == null) {
      return key == null ? model : key;
    }
    return new CacheConfig(key.enabled != null ? key.enabled : model.enabled,
        key.ttlSeconds != null ? key.ttlSeconds : model.ttlSeconds,
        key.maxTemperature != null ? key.maxTemperature : model.maxTemperature);
  }

  /** Whether the block turns caching on (a present block without {@code enabled: false}). */
  public boolean on() {
    return enabled == null || enabled;
  }

  /** The chat TTL: the configured one, else {@link #DEFAULT_TTL_SECONDS}. */
  public long chatTtlSeconds() {
    return ttlSeconds != null ? ttlSeconds : DEFAULT_TTL_SECONDS;
  }

  /** The temperature bound: the configured one, else {@link #DEFAULT_MAX_TEMPERATURE}. */
  public double temperatureBound() {
    return maxTemperature != null ? maxTemperature : DEFAULT_MAX_TEMPERATURE;
  }

  /**
   * Null if the block is valid, else {@code [param, message]}; {@code at} is the block's path
   * ({@code "cache"}, {@code "models[2].cache"}). Checked where models enter, like the rules.
   */
  public String[] error(String at) {
    if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)) {
      return new String[] {at + ".ttl_seconds", at + ".ttl_seconds must be within [1, " + MAX_TTL_SECONDS + "]"};
    }
    if (maxTemperature != null && !(maxTemperature >= 0 && maxTemperature <= 2)) {
      return new String[] {at + ".max_temperature", at + ".max_temperature must be within [0, 2]"};
    }
    return null;
  }
}
