package io.tollgate.router;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a model to its deployments, orders them with the model's policy and fails over before
 * the first byte. Stateless per request; several instances and nodes share {@link Addresses#ROUTER_ROUTE}.
 * Every route request is answered, whatever goes wrong on the way: an edge must never wait for a
 * reply that a thrown exception swallowed.
 */
public final class RouterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticle.class);

  private final RouterOptions options;
  private final Supplier<ConfigIndex> config;

  public RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config) {
    this.options = options;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    var route = vertx.eventBus().<RouteRequest>consumer(Addresses.ROUTER_ROUTE, this::route);
    var ping = vertx.eventBus().consumer(Addresses.ROUTER_PING, msg -> msg.reply(null));
    return Future.all(route.completion(), ping.completion());
  }

  private void route(Message<RouteRequest> msg) {
    RouteRequest request = msg.body();
    String modelName = request.chat() == null ? null : request.chat().model();
    Future<RouteResult> result;
    try {
      result = decide(request);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        LOG.error("routing failed request_id={}", request.requestId(), ar.cause());
        msg.reply(RouteResult.failed(modelName, ErrorCode.INTERNAL,
            "The gateway failed to route the request (request id " + request.requestId() + ").", null));
      }
    });
  }

  private Future<RouteResult> decide(RouteRequest request) {
    ConfigIndex index = config.get();
    if (index == null) {
      return Future.succeededFuture(RouteResult.failed(request.chat().model(), ErrorCode.SERVICE_UNAVAILABLE,
          "the router has not loaded its configuration yet", null));
    }
    ModelConfig model = index.model(request.chat().model());
    if (model == null) {
      return Future.succeededFuture(RouteResult.failed(request.chat().model(), ErrorCode.MODEL_NOT_FOUND,
          "The model '" + request.chat().model() + "' does not exist", null));
    }
    RoutingPolicy policy = RoutingPolicy.forNameOrNull(model.policy());
    if (policy == null) {
      // Only a snapshot from a newer admin node can carry a policy this router does not know.
      return Future.succeededFuture(RouteResult.failed(model.name(), ErrorCode.SERVICE_UNAVAILABLE,
          "model " + model.name() + " uses a routing policy this gateway node does not implement", null));
    }
    var candidates = policy.candidates(model, request);
    return new Failover(vertx.eventBus(), options.callMarginMs(), request, model, candidates, System::nanoTime).run();
  }
}
