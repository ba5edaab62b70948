package io.tollgate.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A deployment's {@code max_tokens_field}: which parameter carries the client's completion budget upstream. */
public enum MaxTokensField {
  /** {@code max_tokens} and {@code max_completion_tokens} exactly as the client sent them. */
  @JsonProperty("as_sent") AS_SENT,
  /** The budget (either parameter; {@code max_completion_tokens} wins) as {@code max_tokens}. */
  @JsonProperty("max_tokens") MAX_TOKENS,
  /** The budget (either parameter) as {@code max_completion_tokens}. */
  @JsonProperty("max_completion_tokens") MAX_COMPLETION_TOKENS
}
