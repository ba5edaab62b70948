package io.tollgate.api.channel;

import java.util.Objects;

/**
 * An external key's signing secret in clear, as of the key's config {@code keyVersion} (a rotation
 * takes a new version, so an edge caches by id and version). It travels only to the edge that asked
 * (request-reply); the cluster's own protection (member authentication, event-bus TLS) covers the hop.
 */
public record SigningSecretReply(String keyId, String secret, long keyVersion) {

  public SigningSecretReply {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(secret, "secret");
  }

  /** Never the secret itself. */
  @Override
  public String toString() {
    return "SigningSecretReply[keyId=" + keyId + ", keyVersion=" + keyVersion + "]";
  }
}
