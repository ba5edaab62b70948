package io.tollgate.router;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.ops.Capability;
import java.util.List;
import java.util.Set;

/**
 * The router's refusal of a request that no deployment of its model can serve: a 400
 * {@code capability_not_supported} naming the missing capability (and the request field that asks
 * for it), never a 503 — no retry can help, the request or the configuration must change.
 * Deployments are judged by what they declare (or their provider's defaults), whatever their
 * weight or breaker: a drained but capable deployment is an outage, not a refusal.
 */
final class Capabilities {

  private Capabilities() {
  }

  /** The refusal, or null when at least one deployment serves everything {@code needed}. */
  static RouteResult refusal(ModelConfig model, Set<Capability> needed) {
    List<DeploymentConfig> deployments = model.deployments();
    for (DeploymentConfig d : deployments) {
      if (Capability.missing(d, needed) == null) {
        return null;
      }
    }
    for (Capability c : needed) {
      boolean anyHas = false;
      for (DeploymentConfig d : deployments) {
        anyHas |= Capability.of(d).contains(c);
      }
      if (!anyHas) {
        return RouteResult.failed(model.name(), ErrorCode.CAPABILITY_NOT_SUPPORTED, "The model '" + model.name()
            + "' does not support " + describe(c) + ": none of its deployments declares the capability '"
            + c.wire() + "'.", List.of());
      }
    }
    StringBuilder words = new StringBuilder();
    for (Capability c : needed) {
      words.append(words.length() == 0 ? "" : ", ").append(c.wire());
    }
    return RouteResult.failed(model.name(), ErrorCode.CAPABILITY_NOT_SUPPORTED, "The model '" + model.name()
        + "' has no deployment that serves the capabilities " + words + " together.", List.of());
  }

  private static String describe(Capability c) {
    return switch (c) {
      case CHAT -> "chat completions";
      case EMBEDDINGS -> "embeddings";
      case RERANK -> "rerank";
      case COMPLETIONS -> "legacy completions";
      case TOOLS -> "tools (function calling)";
      case VISION -> "image inputs";
      case STREAMING -> "streaming";
    };
  }
}
