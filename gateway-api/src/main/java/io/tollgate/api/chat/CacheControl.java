package io.tollgate.api.chat;

/**
 * A prompt-caching breakpoint (Anthropic's {@code cache_control: {"type":"ephemeral","ttl":...}}).
 * Upstreams that cache automatically (OpenAI) ignore it; dropping it never changes an answer,
 * only its cost.
 *
 * @param ttl the requested lifetime ("5m", "1h"), null for the provider's default
 */
public record CacheControl(String ttl) {

  public static final CacheControl EPHEMERAL = new CacheControl(null);
}
