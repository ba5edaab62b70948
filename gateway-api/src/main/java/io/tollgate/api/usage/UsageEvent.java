package io.tollgate.api.usage;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.routing.RouteDecision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One request's usage, written once by the edge that answered it and sent (with acknowledgement
 * and retry) to {@link io.tollgate.api.Addresses#BILLING_USAGE} and
 * {@link io.tollgate.api.Addresses#AUDIT_USAGE}. Receivers write it idempotently keyed by
 * {@code requestId}, so a retry never counts twice. A request refused before any upstream ran
 * (auth, validation, limits) has zero usage and cost and {@code deploymentId} null.
 *
 * @param attempt      the attempt whose stream answered (-1 if none started)
 * @param decision     the router's decision for the attempt that answered
 * @param usage        tokens of that attempt; {@code usage.estimated()} when the upstream gave none
 * @param costUsd      exact cost from the deployment's prices at request time (reasoning priced as
 *                     output, cached input at its own price), never rounded down
 * @param error        null when {@code status} is OK
 * @param side         who failed: null when OK
 * @param cancelReason why the stream was stopped early, null if it was not
 * @param trace        every attempt, in order (the failover trace)
 * @param text         the redacted prompt and completion, only for a tenant that opted in to storing
 *                     them; null otherwise (the default: no text travels or is stored)
 * @param cacheHit     answered from the gateway's response cache: no upstream ran, so no
 *                     deployment, zero usage and zero cost, but still a request (it counted
 *                     against rpm) and a ledger row
 * @param traceId      the W3C trace id of the request (32 hex digits), null when it has none: the
 *                     gateway's own trace with tracing on, else the client's {@code traceparent}'s
 */
public record UsageEvent(String requestId, Instant startedAt, Instant endedAt, String tenantId, String keyId,
                         String model, String deploymentId, String provider, int attempt, RouteDecision decision,
                         Usage usage, long latencyMillis, long ttftMillis, Outcome.Status status, ErrorCode error,
                         ErrorCode.Side side, CancelReason cancelReason, List<Attempt> trace, BigDecimal costUsd,
                         AuditText text, boolean cacheHit, String traceId) {

  public UsageEvent {
    trace = trace == null ? List.of() : List.copyOf(trace);
    usage = usage == null ? Usage.ZERO : usage;
    costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    decision = decision == null ? RouteDecision.UNKNOWN : decision;
  }

  /** An event without text and not a cache hit (the signature before either existed). */
  public UsageEvent(String requestId, Instant startedAt, Instant endedAt, String tenantId, String keyId,
                    String model, String deploymentId, String provider, int attempt, RouteDecision decision,
                    Usage usage, long latencyMillis, long ttftMillis, Outcome.Status status, ErrorCode error,
                    ErrorCode.Side side, CancelReason cancelReason, List<Attempt> trace, BigDecimal costUsd) {
    this(requestId, startedAt, endedAt, tenantId, keyId, model, deploymentId, provider, attempt, decision, usage,
        latencyMillis, ttftMillis, status, error, side, cancelReason, trace, costUsd, null, false, null);
  }

  /** An event with text for the audit log, not a cache hit. */
  public UsageEvent(String requestId, Instant startedAt, Instant endedAt, String tenantId, String keyId,
                    String model, String deploymentId, String provider, int attempt, RouteDecision decision,
                    Usage usage, long latencyMillis, long ttftMillis, Outcome.Status status, ErrorCode error,
                    ErrorCode.Side side, CancelReason cancelReason, List<Attempt> trace, BigDecimal costUsd,
                    AuditText text) {
    this(requestId, startedAt, endedAt, tenantId, keyId, model, deploymentId, provider, attempt, decision, usage,
        latencyMillis, ttftMillis, status, error, side, cancelReason, trace, costUsd, text, false, null);
  }

  /** An event without text, answered from the cache or not. */
  public UsageEvent(String requestId, Instant startedAt, Instant endedAt, String tenantId, String keyId,
                    String model, String deploymentId, String provider, int attempt, RouteDecision decision,
                    Usage usage, long latencyMillis, long ttftMillis, Outcome.Status status, ErrorCode error,
                    ErrorCode.Side side, CancelReason cancelReason, List<Attempt> trace, BigDecimal costUsd,
                    boolean cacheHit) {
    this(requestId, startedAt, endedAt, tenantId, keyId, model, deploymentId, provider, attempt, decision, usage,
        latencyMillis, ttftMillis, status, error, side, cancelReason, trace, costUsd, null, cacheHit, null);
  }

  /** This event carrying {@code text} for the audit log. */
  public UsageEvent withText(AuditText text) {
    return new UsageEvent(requestId, startedAt, endedAt, tenantId, keyId, model, deploymentId, provider, attempt,
        decision, usage, latencyMillis, ttftMillis, status, error, side, cancelReason, trace, costUsd, text, cacheHit,
        traceId);
  }
}
