package io.tollgate.admin.model;

import io.tollgate.api.keys.ApiKey;

/**
 * A key as the admin database holds it: the node-facing {@link ApiKey} and the first characters of
 * its secret for humans to recognise it.
 */
public record StoredKey(ApiKey key, String hint) {

  /** How many characters of a secret are kept as its hint (the {@code tg-} prefix and 4 more). */
  public static final int HINT_LENGTH = 7;

  public static String hintOf(String secret) {
    return secret.substring(0, Math.min(HINT_LENGTH, secret.length())) + "…";
  }
}
