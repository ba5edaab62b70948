package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.ops.Operation;
import io.tollgate.api.ops.OperationRequest;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.trace.HopClock;
import io.tollgate.api.trace.TraceContext;

/**
 * Router -> connector: call this deployment. The connector answers with {@link CallStarted} as
 * soon as the upstream accepted the call (status and headers in, before the first chunk is
 * relayed), or fails the message with an {@link io.tollgate.api.ErrorCode} so the router can fail
 * over. Chunks then go straight to {@code streamAddress}, not through the router.
 *
 * <p>{@code operation}, {@code chat} and {@code payload} follow {@link RouteRequest}'s rule: a chat
 * has {@code chat}, any other operation its {@code payload} and a null {@code chat}. A unary
 * operation's answer is the {@link StreamChunk#result()} of the END chunk.
 *
 * @param trace       the W3C context of this attempt (the router's attempt span, or the client's
 *                    own with tracing off), sent on to the upstream as {@code traceparent}; null: none
 * @param sentAtNanos {@link HopClock} reading when the router sent it
 */
public record UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment,
                           ChatRequest chat, String streamAddress, String keyId, String tenantId,
                           RouteDecision decision, Operation operation, OperationRequest payload,
                           TraceContext trace, long sentAtNanos) {

  public UpstreamCall {
    decision = decision == null ? RouteDecision.UNKNOWN : decision;
    operation = Operations.check(operation, chat, payload);
  }

  /** Any operation without a trace context, stamped now. */
  public UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment, ChatRequest chat,
                      String streamAddress, String keyId, String tenantId, RouteDecision decision,
                      Operation operation, OperationRequest payload) {
    this(requestId, attempt, model, deployment, chat, streamAddress, keyId, tenantId, decision, operation, payload,
        null, HopClock.now());
  }

  /** A chat call with a trace context. */
  public UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment, ChatRequest chat,
                      String streamAddress, String keyId, String tenantId, RouteDecision decision,
                      TraceContext trace, long sentAtNanos) {
    this(requestId, attempt, model, deployment, chat, streamAddress, keyId, tenantId, decision, Operation.CHAT, null,
        trace, sentAtNanos);
  }

  /** A chat call without a trace context, stamped now. */
  public UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment, ChatRequest chat,
                      String streamAddress, String keyId, String tenantId, RouteDecision decision) {
    this(requestId, attempt, model, deployment, chat, streamAddress, keyId, tenantId, decision, Operation.CHAT, null);
  }

  public UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment, ChatRequest chat,
                      String streamAddress, String keyId, String tenantId) {
    this(requestId, attempt, model, deployment, chat, streamAddress, keyId, tenantId, null);
  }

  /**
   * The prompt's estimated tokens, whatever the operation: the usage of a call cut short, and of
   * an upstream that reports none.
   */
  public long promptEstimate() {
    return Operations.promptEstimate(chat, payload);
  }

  /** Whether the answer streams. */
  public boolean streaming() {
    return chat != null ? chat.stream() : payload.stream();
  }
}
