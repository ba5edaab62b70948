package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.trace.TraceContext;
import java.util.List;

/**
 * Router -> edge. On success names the deployment that is streaming, its attempt number (only
 * chunks of that attempt are relayed to the client) and the control address of the connector
 * instance holding the upstream call (where cancels go). On failure carries the error. Either way
 * {@code attempts} is the failover trace, in order. {@code trace} is the started attempt's span
 * context when the router traces (the edge's stream span is its child), else null.
 *
 * @param param on failure, the request field at fault when the last upstream named one (its 400's
 *              {@code error.param}), for the client's error envelope; null otherwise
 */
public record RouteResult(String model, String deploymentId, String provider, String controlAddress, int attempt,
                          List<Attempt> attempts, ErrorCode error, String message, RouteDecision decision,
                          long upstreamMillis, TraceContext trace, String param) {

  /** Without a trace context. */
  public RouteResult(String model, String deploymentId, String provider, String controlAddress, int attempt,
                     List<Attempt> attempts, ErrorCode error, String message, RouteDecision decision,
                     long upstreamMillis, String param) {
    this(model, deploymentId, provider, controlAddress, attempt, attempts, error, message, decision, upstreamMillis,
        (TraceContext) null, param);
  }

  /** Without a failing param. */
  public RouteResult(String model, String deploymentId, String provider, String controlAddress, int attempt,
                     List<Attempt> attempts, ErrorCode error, String message, RouteDecision decision,
                     long upstreamMillis, TraceContext trace) {
    this(model, deploymentId, provider, controlAddress, attempt, attempts, error, message, decision, upstreamMillis,
        trace, null);
  }

  public RouteResult(String model, String deploymentId, String provider, String controlAddress, int attempt,
                     List<Attempt> attempts, ErrorCode error, String message, RouteDecision decision) {
    this(model, deploymentId, provider, controlAddress, attempt, attempts, error, message, decision, 0);
  }

  public RouteResult(String model, String deploymentId, String provider, String controlAddress, int attempt,
                     List<Attempt> attempts, ErrorCode error, String message, RouteDecision decision,
                     long upstreamMillis) {
    this(model, deploymentId, provider, controlAddress, attempt, attempts, error, message, decision, upstreamMillis,
        (TraceContext) null, null);
  }

  /** The same result with the started attempt's upstream time ({@link CallStarted#upstreamMillis}). */
  public RouteResult withUpstreamMillis(long millis) {
    return new RouteResult(model, deploymentId, provider, controlAddress, attempt, attempts, error, message, decision,
        millis, trace, param);
  }

  /** The same result with the started attempt's span context (null: none). */
  public RouteResult withTrace(TraceContext context) {
    return new RouteResult(model, deploymentId, provider, controlAddress, attempt, attempts, error, message, decision,
        upstreamMillis, context, param);
  }

  public RouteResult {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    decision = decision == null ? RouteDecision.UNKNOWN : decision;
  }

  public static RouteResult started(String model, String deploymentId, String provider,
                                    String controlAddress, int attempt, List<Attempt> attempts) {
    return started(model, deploymentId, provider, controlAddress, attempt, attempts, null);
  }

  public static RouteResult started(String model, String deploymentId, String provider, String controlAddress,
                                    int attempt, List<Attempt> attempts, RouteDecision decision) {
    return new RouteResult(model, deploymentId, provider, controlAddress, attempt, attempts, null, null, decision);
  }

  public static RouteResult failed(String model, ErrorCode error, String message, List<Attempt> attempts) {
    return failed(model, error, message, attempts, null);
  }

  /** A failure after a routing decision was made: the decision stays visible to the edge and the ledger. */
  public static RouteResult failed(String model, ErrorCode error, String message, List<Attempt> attempts,
                                   RouteDecision decision) {
    return new RouteResult(model, null, null, null, -1, attempts, error, message, decision);
  }

  /** A failure naming the request field at fault (an upstream's 400 that said which parameter it refused). */
  public static RouteResult failed(String model, ErrorCode error, String message, String param, List<Attempt> attempts,
                                   RouteDecision decision) {
    return new RouteResult(model, null, null, null, -1, attempts, error, message, decision, 0, (TraceContext) null,
        param);
  }

  public boolean ok() {
    return error == null;
  }
}
