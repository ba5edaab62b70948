package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;

/**
 * Edge -> router: route this request. Chunks go to {@code streamAddress}, the edge instance's one
 * stream address; the router answers with a {@link RouteResult} once a connector has started
 * streaming or every candidate failed.
 */
public record RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId,
                           String tenantId) {
}
