package io.tollgate.traffic;

import io.tollgate.api.keys.Limits;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What admission needs to know about one request. Limits that are null (or whose fields are null)
 * are unlimited and cost nothing: only configured limits touch Redis.
 *
 * @param requestId       unique per request; the reservation, its settlement and its window entries
 *                        are keyed by it, so a retried settle is counted once
 * @param keyLimits       the API key's limits
 * @param tenantLimits    the key's tenant's limits (applies to all its keys together)
 * @param globalLimits    gateway-wide rpm/tpm ({@link TrafficOptions#globalLimits()}); quotas and
 *                        budgets here are ignored
 * @param estimatedTokens prompt estimate plus max_tokens (or the configured default), see
 *                        {@link TokenEstimator#estimate}
 * @param estimatedCost   USD reserved against budgets, exact; zero if unpriced
 * @param nowMs           the admission time in epoch millis (UTC); windows and periods use it
 */
public record AdmissionRequest(String requestId, String keyId, String tenantId, Limits keyLimits,
                               Limits tenantLimits, Limits globalLimits, long estimatedTokens,
                               BigDecimal estimatedCost, long nowMs) {

  public AdmissionRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(keyId, "keyId");
    keyLimits = keyLimits == null ? Limits.NONE : keyLimits;
    tenantLimits = tenantLimits == null ? Limits.NONE : tenantLimits;
    globalLimits = globalLimits == null ? Limits.NONE : globalLimits;
    estimatedCost = estimatedCost == null ? BigDecimal.ZERO : estimatedCost;
    if (estimatedTokens < 0 || estimatedCost.signum() < 0) {
      throw new IllegalArgumentException("estimates must be >= 0");
    }
  }
}
