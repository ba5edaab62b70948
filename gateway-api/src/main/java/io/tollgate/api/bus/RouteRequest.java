package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;

/**
 * Edge -> router: route this request. Chunks go to {@code streamAddress}, the edge instance's one
 * stream address; the router answers with a {@link RouteResult} once a connector has started
 * streaming or every candidate failed, and always within {@code budgetMs} of receiving the
 * request: the edge waits that long plus a hop margin, so both sides agree on when routing is over.
 */
public record RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId,
                           String tenantId, long budgetMs) {
}
