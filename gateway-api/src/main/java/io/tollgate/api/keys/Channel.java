package io.tollgate.api.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a key's requests reach the gateway. {@link #INTERNAL}: a bearer key, as services inside the
 * organisation use it. {@link #EXTERNAL}: partners; every request is also signed (HMAC-SHA256 with a
 * separate signing secret, a timestamp and a nonce) and answers are sanitized.
 */
public enum Channel {
  INTERNAL, EXTERNAL;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code internal} or {@code external}; null is {@link #INTERNAL}; anything else an IllegalArgumentException. */
  @JsonCreator
  public static Channel of(String name) {
    if (name == null) {
      return INTERNAL;
    }
    for (Channel c : values()) {
      if (c.wireName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("channel must be 'internal' or 'external', got '" + name + "'");
  }
}
