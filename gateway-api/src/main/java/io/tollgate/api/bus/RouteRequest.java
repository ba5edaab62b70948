package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.ops.Operation;
import io.tollgate.api.ops.OperationRequest;
import io.tollgate.api.trace.HopClock;
import io.tollgate.api.trace.TraceContext;

/**
 * Edge -> router: route this request. Chunks go to {@code streamAddress}, the edge instance's one
 * stream address; the router answers with a {@link RouteResult} once a connector has started
 * streaming or every candidate failed, and always within {@code budgetMs} of receiving the
 * request: the edge waits that long plus a hop margin, so both sides agree on when routing is over.
 *
 * <p>What is asked: a chat ({@code operation} {@link Operation#CHAT}, {@code chat} set,
 * {@code payload} null) or another operation ({@code payload} set, its {@link OperationRequest#operation()}
 * equal to {@code operation}; {@code chat} null). A null {@code operation} (a message from a node
 * that predates operations) is derived from which one is set.
 *
 * @param trace       the W3C context the router's spans descend from (the edge's routing span, or
 *                    the client's own with tracing off); null: none
 * @param sentAtNanos {@link HopClock} reading when the edge sent it ({@code tollgate_eventbus_hop_seconds})
 */
public record RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId,
                           String tenantId, long budgetMs, Operation operation, OperationRequest payload,
                           TraceContext trace, long sentAtNanos) {

  public RouteRequest {
    operation = Operations.check(operation, chat, payload);
  }

  /** A chat request without a trace context, stamped now (the signature before operations and traces). */
  public RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId,
                      String tenantId, long budgetMs) {
    this(requestId, chat, streamAddress, keyId, tenantId, budgetMs, Operation.CHAT, null, null, HopClock.now());
  }

  /** Any operation without a trace context, stamped now. */
  public RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId,
                      String tenantId, long budgetMs, Operation operation, OperationRequest payload) {
    this(requestId, chat, streamAddress, keyId, tenantId, budgetMs, operation, payload, null, HopClock.now());
  }

  /** A chat request with a trace context. */
  public RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId, String tenantId,
                      long budgetMs, TraceContext trace, long sentAtNanos) {
    this(requestId, chat, streamAddress, keyId, tenantId, budgetMs, Operation.CHAT, null, trace, sentAtNanos);
  }

  /** A non-chat request. */
  public static RouteRequest of(String requestId, OperationRequest payload, String streamAddress, String keyId,
                                String tenantId, long budgetMs) {
    return new RouteRequest(requestId, null, streamAddress, keyId, tenantId, budgetMs, payload.operation(), payload);
  }

  /** The same request carrying {@code trace}, stamped now (just before it is sent). */
  public RouteRequest withTrace(TraceContext trace) {
    return new RouteRequest(requestId, chat, streamAddress, keyId, tenantId, budgetMs, operation, payload, trace,
        HopClock.now());
  }

  /** The public model name asked for, whatever the operation. */
  public String model() {
    return chat != null ? chat.model() : payload.model();
  }

  /** Whether the answer streams. */
  public boolean streaming() {
    return chat != null ? chat.stream() : payload.stream();
  }
}
