package io.tollgate.api.channel;

import java.util.Objects;

/** An edge asking an admin node for the signing secret of an external key. */
public record SigningSecretRequest(String keyId) {

  public SigningSecretRequest {
    Objects.requireNonNull(keyId, "keyId");
  }
}
