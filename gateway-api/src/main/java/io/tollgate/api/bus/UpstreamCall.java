package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.routing.RouteDecision;

/**
 * Router -> connector: call this deployment. The connector answers with {@link CallStarted} as
 * soon as the upstream accepted the call (status and headers in, before the first chunk is
 * relayed), or fails the message with an {@link io.tollgate.api.ErrorCode} so the router can fail
 * over. Chunks then go straight to {@code streamAddress}, not through the router.
 */
public record UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment,
                           ChatRequest chat, String streamAddress, String keyId, String tenantId,
                           RouteDecision decision) {

  public UpstreamCall {
    decision = decision == null ? RouteDecision.UNKNOWN : decision;
  }

  public UpstreamCall(String requestId, int attempt, String model, DeploymentConfig deployment, ChatRequest chat,
                      String streamAddress, String keyId, String tenantId) {
    this(requestId, attempt, model, deployment, chat, streamAddress, keyId, tenantId, null);
  }
}
