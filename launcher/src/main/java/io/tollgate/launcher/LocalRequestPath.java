package io.tollgate.launcher;

import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.local.LocalPath;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.router.ConnectorCalls;
import io.tollgate.router.RouterVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.function.Supplier;

/**
 * The local path of a node that runs the edge, router and connector roles: each edge instance
 * starts its own router and connector on its context (instead of the node deploying them as
 * separate verticles on other event loops), so a request is routed, called upstream and streamed
 * back without waking another event loop. The router reaches a provider its connector does not
 * serve over the event bus, as usual.
 */
final class LocalRequestPath implements LocalPath {

  /** {@code TOLLGATE_LOCAL_PATH}: {@code off} deploys routers and connectors as verticles of their own. */
  static final String ENV = "TOLLGATE_LOCAL_PATH";

  private final Supplier<ConnectorVerticle> connectors;
  private final Supplier<RouterVerticle> routers;

  /**
   * @param connectors makes a configured connector (and registers it with the node, which drains it at shutdown)
   * @param routers    makes a configured router
   */
  LocalRequestPath(Supplier<ConnectorVerticle> connectors, Supplier<RouterVerticle> routers) {
    this.connectors = connectors;
    this.routers = routers;
  }

  /** Whether a node with these roles takes the local path (it has all three, and it was not turned off). */
  static boolean enabled(boolean edge, boolean router, boolean connector, String setting) {
    return edge && router && connector && !"off".equalsIgnoreCase(setting == null ? "" : setting.trim());
  }

  @Override
  public Future<Route> open(Vertx vertx, Context context, String streamAddress,
                           Handler<Message<StreamChunk>> chunks) {
    ConnectorVerticle connector = connectors.get().withLocalEdge(streamAddress, chunks);
    ConnectorCalls bus = ConnectorCalls.bus(vertx.eventBus());
    RouterVerticle router = routers.get().withConnectorCalls((provider, call, timeoutMs) ->
        connector.serves(provider) ? connector.callHere(provider, call, timeoutMs)
            : bus.call(provider, call, timeoutMs));
    connector.init(vertx, context);
    router.init(vertx, context);
    return connector.start().compose(v -> router.start()).map(v -> new Route() {
      @Override
      public Future<Message<RouteResult>> route(RouteRequest request, long timeoutMs) {
        return router.routeHere(request, timeoutMs);
      }

      @Override
      public Future<Void> close() {
        return router.stop().transform(ar -> connector.stop()).mapEmpty();
      }
    });
  }
}
