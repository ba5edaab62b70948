package io.tollgate.admin.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.Addresses;
import io.tollgate.api.GatewayException;
import io.tollgate.api.routing.RoutingStats;
import io.tollgate.api.routing.RoutingStatsRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /admin/v1/models/{name}/routing}: what a router has learned about the model's
 * deployments. Asked of one router node over the event bus; every router node applies every
 * outcome, so any one answers for the cluster. Read-only; mounted before the model routes, whose
 * name pattern would otherwise take {@code name/routing} for a model name.
 */
final class RoutingRoutes {

  /** How long the admin waits for a router; a router answers from memory, so this is only reached if none runs. */
  static final long DEFAULT_TIMEOUT_MS = 5_000;

  private static final String PATH = "/admin/v1/models/(?<name>.+)/routing";

  private final Vertx vertx;

  RoutingRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.getWithRegex(PATH).handler(this::get);
  }

  private void get(RoutingContext ctx) {
    Future<View> view = vertx.eventBus().<RoutingStats>request(Addresses.ROUTER_STATS,
            new RoutingStatsRequest(ctx.pathParam("name")), new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS))
        .map(Message::body)
        .map(View::of)
        .recover(t -> Future.failedFuture(GatewayException.from(t)));
    Http.reply(ctx, view, 200);
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record View(String model, String policy, String routingVersion, String canaryVersion, List<Deployment> deployments) {

    static View of(RoutingStats s) {
      return new View(s.model(), s.policy(), s.routingVersion(), s.canaryVersion(), s.deployments().stream()
          .map(d -> new Deployment(d.id(), d.requests(), d.successes(), d.failures(), d.ewmaLatencyMs(), d.breaker(),
              new Stats(d.alpha(), d.beta(), d.ewmaTtftMs(), d.consecutiveFailures(), d.meanCostUsd()))).toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Deployment(String id, double requests, double successes, double failures, Double ewmaLatencyMs,
                    String breaker, Stats stats) {
  }

  /** The Beta posterior every learning policy reads, and what the breaker counts. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Stats(double alpha, double beta, Double ewmaTtftMs, int consecutiveFailures, double meanCostUsd) {
  }
}
