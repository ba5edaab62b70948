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
    ConfigIndex index = config.get();
    if (index == null) {
      msg.reply(RouteResult.failed(request.chat().model(), ErrorCode.SERVICE_UNAVAILABLE,
          "the router has not loaded its configuration yet", null));
      return;
    }
    ModelConfig model = index.model(request.chat().model());
    if (model == null) {
      msg.reply(RouteResult.failed(request.chat().model(), ErrorCode.MODEL_NOT_FOUND,
          "The model '" + request.chat().model() + "' does not exist", null));
      return;
    }
    var candidates = RoutingPolicy.forName(model.policy()).candidates(model, request);
    new Failover(vertx.eventBus(), options, request, model, candidates).run()
        .onSuccess(msg::reply)
        .onFailure(err -> {
          LOG.error("routing failed request_id={}", request.requestId(), err);
          msg.reply(RouteResult.failed(model.name(), ErrorCode.INTERNAL, "routing failed", null));
        });
  }
}
