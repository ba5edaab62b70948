package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The version of a model's routing: a hash of what decides where requests go (policy, routing
 * options, each deployment's id, provider, weight and priority). The same on every node and across
 * restarts, so outcomes from several routers name the same version; credentials and URLs are not
 * part of it.
 */
public final class RoutingVersion {

  private RoutingVersion() {
  }

  public static String of(ModelConfig model) {
    StringBuilder canonical = new StringBuilder(model.policy()).append('|').append(model.routing());
    if (model.rules() != null) {
      canonical.append("|rules=").append(model.rules());
    }
    for (DeploymentConfig d : model.deployments()) {
      canonical.append('|').append(d.id()).append(',').append(d.provider()).append(',').append(d.weight())
          .append(',').append(d.priority());
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
