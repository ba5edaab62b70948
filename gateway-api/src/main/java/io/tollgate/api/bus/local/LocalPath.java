package io.tollgate.api.bus.local;

import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;

/**
 * A router and a connector started on an edge instance's own context, so that a request whose edge,
 * router and connector are on one node never leaves that event loop: the route, the upstream call,
 * its start and its chunks are {@link LocalMessage}s instead of event-bus messages (each of which
 * costs a codec pass, a handler lookup, a reply consumer and a wake-up of another event loop).
 * They are full instances otherwise: they register the cluster's addresses like any other router
 * and connector, learn from every published outcome, and answer other nodes' requests.
 */
public interface LocalPath {

  /**
   * Called from the edge instance's {@code start()}, on its context.
   *
   * @param streamAddress the edge instance's stream address: the connector's chunks for it go to {@code chunks}
   * @param chunks        the edge's chunk handler, run on the same context
   */
  Future<Route> open(Vertx vertx, Context context, String streamAddress, Handler<Message<StreamChunk>> chunks);

  /** The edge's side of an open local path. */
  interface Route {

    /** Routes {@code request} on this context; fails like an event-bus request (timeout after {@code timeoutMs}). */
    Future<Message<RouteResult>> route(RouteRequest request, long timeoutMs);

    /** Stops the router and the connector (streams still open end with their END message). */
    Future<Void> close();
  }
}
