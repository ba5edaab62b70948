package io.tollgate.admin.model;

/**
 * A key together with its secret (and an external key's signing secret, else null), right after
 * create or rotate: the only time either exists in clear outside the sealed store.
 */
public record IssuedKey(StoredKey stored, String secret, String signingSecret) {

  public IssuedKey(StoredKey stored, String secret) {
    this(stored, secret, null);
  }

  public KeyView view() {
    return KeyView.of(stored, secret, signingSecret);
  }

  /** Never the secrets. */
  @Override
  public String toString() {
    return "IssuedKey[" + stored.key().id() + "]";
  }
}
