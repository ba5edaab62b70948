package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.usage.CancelReason;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.traffic.Pricing;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Builds the one usage event of a request, from its exchange or from its refusal. */
final class UsageEvents {

  /**
   * When a request arrived: wall time for the record, the monotonic clock for durations; and its
   * W3C trace id (null: none) for the usage event and the access line.
   */
  record Arrival(String requestId, Instant at, long nanos, String traceId) {

    Arrival(String requestId, Instant at, long nanos) {
      this(requestId, at, nanos, null);
    }
  }

  private UsageEvents() {
  }

  /** The event of a request whose exchange finished ({@code nowNanos} on the exchange's clock). */
  static UsageEvent finished(Arrival arrival, ApiKey key, ModelConfig model, Exchange x, Instant now, long nowNanos) {
    RouteResult route = x.route();
    String deploymentId = x.endDeploymentId();
    DeploymentConfig deployment = deploymentId == null ? null : deployment(model, deploymentId);
    Usage usage = x.endUsage() == null ? Usage.ZERO : x.endUsage();
    Outcome.Status status = status(x);
    ErrorCode error = status == Outcome.Status.OK ? null : x.error() != null ? x.error()
        : status == Outcome.Status.CANCELLED ? ErrorCode.CANCELLED : ErrorCode.INTERNAL;
    CancelReason cancel = status == Outcome.Status.OK ? null : x.clientGone() ? CancelReason.CLIENT_DISCONNECT
        : x.expired() || status == Outcome.Status.CANCELLED ? CancelReason.TIMEOUT : null;
    long ttft = x.firstOutputNanos() < 0 ? -1 : millis(x.firstOutputNanos() - arrival.nanos());
    String provider = deployment != null ? deployment.provider() : route != null ? route.provider() : null;
    return new UsageEvent(arrival.requestId(), arrival.at(), now, key.tenantId(), key.id(), model.name(),
        deploymentId, provider, route != null && route.ok() ? route.attempt() : -1,
        route == null ? null : route.decision(), usage, millis(nowNanos - arrival.nanos()), ttft, status, error,
        error == null ? null : error.side(), cancel, route == null ? List.of() : route.attempts(),
        cost(deployment, usage), null, false, arrival.traceId());
  }

  /**
   * The event of a request answered before any exchange existed (authentication, validation,
   * limits) or whose client left while it was admitted: no upstream ran, no usage, no cost.
   *
   * @param key   null when the request was not authenticated
   * @param model the public model the client asked for, null if not known
   */
  static UsageEvent refused(Arrival arrival, ApiKey key, String model, ErrorCode error, Instant now, long nowNanos) {
    Outcome.Status status = error == ErrorCode.CANCELLED ? Outcome.Status.CANCELLED : Outcome.Status.ERROR;
    return new UsageEvent(arrival.requestId(), arrival.at(), now, key == null ? null : key.tenantId(),
        key == null ? null : key.id(), model, null, null, -1, null, Usage.ZERO, millis(nowNanos - arrival.nanos()),
        -1, status, error, error.side(), status == Outcome.Status.CANCELLED ? CancelReason.CLIENT_DISCONNECT : null,
        List.of(), BigDecimal.ZERO, null, false, arrival.traceId());
  }

  /**
   * The event of a request answered from the response cache: OK, no deployment, no upstream usage,
   * zero cost, marked as a hit (the ledger keeps a row for it).
   */
  static UsageEvent cacheHit(Arrival arrival, ApiKey key, ModelConfig model, Instant now, long nowNanos) {
    long latency = millis(nowNanos - arrival.nanos());
    return new UsageEvent(arrival.requestId(), arrival.at(), now, key.tenantId(), key.id(), model.name(), null, null,
        -1, null, Usage.ZERO, latency, latency, Outcome.Status.OK, null, null, null, List.of(), BigDecimal.ZERO, null,
        true, arrival.traceId());
  }

  /** Exact cost at the deployment's prices; reasoning tokens are part of completion tokens, so priced as output. */
  static BigDecimal cost(DeploymentConfig deployment, Usage usage) {
    return deployment == null ? BigDecimal.ZERO
        : Pricing.cost(deployment, usage);
  }

  private static Outcome.Status status(Exchange x) {
    if (x.endStatus() != null) {
      return x.endStatus();
    }
    return x.clientGone() ? Outcome.Status.CANCELLED : Outcome.Status.ERROR;
  }

  private static DeploymentConfig deployment(ModelConfig model, String id) {
    for (DeploymentConfig d : model.deployments()) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    return null;
  }

  private static long millis(long nanos) {
    return Math.max(0, nanos / 1_000_000L);
  }
}
