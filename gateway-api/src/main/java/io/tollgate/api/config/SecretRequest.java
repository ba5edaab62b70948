package io.tollgate.api.config;

import java.util.Objects;

/**
 * A connector node asking an admin node ({@link ConfigAddresses#SECRET}) for the decrypted upstream
 * key that a {@code secret:<deployment-id>} marker stands for.
 */
public record SecretRequest(String deploymentId) {

  public SecretRequest {
    Objects.requireNonNull(deploymentId, "deploymentId");
  }
}
