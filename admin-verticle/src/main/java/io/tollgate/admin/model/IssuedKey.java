package io.tollgate.admin.model;

/** A key together with its secret, right after create or rotate: the only time the secret exists. */
public record IssuedKey(StoredKey stored, String secret) {

  public KeyView view() {
    return KeyView.of(stored, secret);
  }
}
