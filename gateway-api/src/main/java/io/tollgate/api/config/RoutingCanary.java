package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A candidate routing of a model, served to some tenants before it replaces the model's routing:
 * another policy, other routing options and/or other deployment weights. The model's stable routing
 * and its canary are two routing versions; every decision (and so every outcome) names the one that
 * served. Which tenants get the canary: those named in {@code tenants}, and {@code percent} of all
 * others chosen by a stable hash of model and tenant, so that a tenant stays on one version across
 * requests and nodes.
 *
 * @param policy  the canary's policy; null keeps the model's
 * @param routing the canary's routing options; null keeps the model's
 * @param weights deployment id -> weight for the canary; deployments not named keep theirs
 * @param percent share of tenants, 0 to 100, that get the canary (besides the named ones); null is 0
 * @param tenants tenant ids that always get the canary
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RoutingCanary(String policy, RoutingOptions routing, Map<String, Integer> weights, Double percent,
                            List<String> tenants) {

  public RoutingCanary {
    weights = weights == null ? Map.of() : Map.copyOf(weights);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }

  /** Whether requests of {@code tenant} (a tenant id, or the key id for keys without a tenant) get the canary. */
  public boolean covers(String modelName, String tenant) {
    if (tenant != null && tenants.contains(tenant)) {
      return true;
    }
    double p = percent == null ? 0 : percent;
    if (p <= 0) {
      return false;
    }
    return bucket(modelName, tenant) < p * 100;
  }

  /**
   * The tenant's bucket in [0, 10000), the same on every node and across restarts: FNV-1a of
   * "model|tenant". Per model, so a tenant is not in every canary at once.
   */
  public static int bucket(String modelName, String tenant) {
    int h = 0x811c9dc5;
    for (byte b : (modelName + "|" + (tenant == null ? "" : tenant)).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    // Fold the high bits in: FNV's low bits alone spread short keys that differ in their last byte poorly.
    h ^= h >>> 16;
    return Integer.remainderUnsigned(h, 10_000);
  }
}
