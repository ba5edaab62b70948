package io.tollgate.api.config;

import java.util.Objects;

/**
 * The answer to a {@link SecretRequest}: the upstream key in clear, as of config {@code version}.
 * It travels only to the connector node that asked (request-reply); the cluster's own protection
 * (member authentication, event-bus TLS) covers the hop.
 */
public record SecretReply(String deploymentId, String secret, long version) {

  public SecretReply {
    Objects.requireNonNull(deploymentId, "deploymentId");
    Objects.requireNonNull(secret, "secret");
  }

  /** Never the secret itself. */
  @Override
  public String toString() {
    return "SecretReply[deploymentId=" + deploymentId + ", version=" + version + "]";
  }
}
