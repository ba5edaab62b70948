package io.tollgate.api.bus;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.trace.HopClock;
import io.tollgate.api.trace.TraceContext;

/**
 * Edge -> router: route this request. Chunks go to {@code streamAddress}, the edge instance's one
 * stream address; the router answers with a {@link RouteResult} once a connector has started
 * streaming or every candidate failed, and always within {@code budgetMs} of receiving the
 * request: the edge waits that long plus a hop margin, so both sides agree on when routing is over.
 *
 * @param trace       the W3C context the router's spans descend from (the edge's routing span, or
 *                    the client's own with tracing off); null: none
 * @param sentAtNanos {@link HopClock} reading when the edge sent it ({@code tollgate_eventbus_hop_seconds})
 */
public record RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId,
                           String tenantId, long budgetMs, TraceContext trace, long sentAtNanos) {

  /** Without a trace context, stamped now. */
  public RouteRequest(String requestId, ChatRequest chat, String streamAddress, String keyId, String tenantId,
                      long budgetMs) {
    this(requestId, chat, streamAddress, keyId, tenantId, budgetMs, null, HopClock.now());
  }
}
