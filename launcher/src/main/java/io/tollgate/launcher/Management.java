package io.tollgate.launcher;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.api.Addresses;
import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.tollgate.traffic.ResilientAdmission;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The management port of every node: {@code /health/live}, {@code /health/ready} (each role checks
 * that what it depends on is reachable: an edge needs a router, a router a connector for every
 * provider its models use) and {@code /metrics} in Prometheus format.
 */
final class Management {

  static final long PROBE_TIMEOUT_MS = 1_000;

  private Management() {
  }

  /**
   * What a node's readiness depends on; null members are roles it does not run.
   *
   * @param config       the node's config view (null inside while none is loaded)
   * @param feed         the config feed, when the node takes its config from admin nodes
   * @param admission    the edge's admission control
   * @param failClosed   whether that admission refuses everything while Redis is down
   * @param postgresPing the admin role's database check
   * @param draining     whether the node is shutting down
   */
  /** How often the tollgate_ready gauge re-runs the readiness checks. */
  static final long READY_GAUGE_PERIOD_MS = 5_000;

  record Checks(Supplier<ConfigIndex> config, ConfigFeed feed, ResilientAdmission admission, boolean failClosed,
                Supplier<Future<Void>> postgresPing, java.util.function.BooleanSupplier draining) {
  }

  static Future<HttpServer> start(Vertx vertx, Settings settings, PrometheusMeterRegistry registry, Checks checks) {
    HealthChecks live = HealthChecks.create(vertx).register("process", p -> p.complete(Status.OK()));
    HealthChecks ready = HealthChecks.create(vertx);
    if (settings.roles().contains(Role.EDGE)) {
      ready.register("router", PROBE_TIMEOUT_MS * 2, p -> probe(vertx, Addresses.ROUTER_PING, p));
    }
    if (settings.roles().contains(Role.ROUTER)) {
      ready.register("connectors", PROBE_TIMEOUT_MS * 2, p -> connectors(vertx, checks.config().get(), p));
    }
    if (checks.feed() != null) {
      ConfigFeed feed = checks.feed();
      ready.register("config", p -> p.complete(feed.ready()
          ? Status.OK(new JsonObject().put("version", feed.version()))
          : Status.KO(new JsonObject().put("reason", "no configuration loaded yet: no admin node answered"))));
    }
    if (checks.admission() != null) {
      ready.register("limits", p -> p.complete(limits(checks.admission(), checks.failClosed())));
    }
    if (checks.postgresPing() != null) {
      ready.register("postgres", PROBE_TIMEOUT_MS * 2, p -> checks.postgresPing().get()
          .onSuccess(v -> p.complete(Status.OK()))
          .onFailure(e -> p.complete(Status.KO(new JsonObject().put("reason", "PostgreSQL unreachable: "
              + e.getMessage())))));
    }
    if (settings.cluster()) {
      ready.register("cluster", PROBE_TIMEOUT_MS * 2, ClusterHealthCheck.createProcedure(vertx));
    }
    // Draining (SIGTERM) turns readiness off at once so balancers stop sending before streams end.
    ready.register("node", p -> p.complete(checks.draining().getAsBoolean()
        ? Status.KO(new JsonObject().put("reason", "draining: shutting down, in-flight streams are finishing"))
        : Status.OK()));

    // The same readiness as a gauge, so that alerting sees a node that is up but not ready.
    AtomicInteger readyNow = new AtomicInteger();
    Gauge.builder("tollgate_ready", readyNow, AtomicInteger::get)
        .description("1 while the node's /health/ready passes, 0 otherwise (also while draining)").register(registry);
    vertx.setPeriodic(0, READY_GAUGE_PERIOD_MS, id -> ready.checkStatus()
        .onComplete(ar -> readyNow.set(ar.succeeded() && ar.result().getUp() ? 1 : 0)));

    Router router = Router.router(vertx);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer(new HttpServerOptions().setHost(settings.bindHost()).setPort(settings.mgmtPort()))
        .requestHandler(router)
        .listen();
  }

  /**
   * Redis down is "degraded", not "down": the node keeps serving under per-node approximate limits,
   * so taking it out of the load balancer would only make things worse. In fail-closed mode it
   * refuses everything, so then it is down.
   */
  private static Status limits(ResilientAdmission admission, boolean failClosed) {
    if (!admission.degraded()) {
      return Status.OK(new JsonObject().put("redis", "up"));
    }
    JsonObject data = new JsonObject().put("redis", "down").put("degraded", true)
        .put("mode", failClosed ? "fail-closed" : "local-approximate");
    return failClosed ? Status.KO(data) : Status.OK(data);
  }

  private static void probe(Vertx vertx, String address, Promise<Status> p) {
    vertx.eventBus().request(address, null, new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS))
        .onSuccess(m -> p.complete(Status.OK()))
        .onFailure(e -> p.complete(Status.KO(new JsonObject()
            .put("reason", address + " unreachable: " + e.getMessage()))));
  }

  private static void connectors(Vertx vertx, ConfigIndex config, Promise<Status> p) {
    if (config == null) {
      p.complete(Status.KO(new JsonObject().put("reason", "no configuration loaded yet")));
      return;
    }
    Set<String> providers = new TreeSet<>();
    for (ModelConfig m : config.models()) {
      for (DeploymentConfig d : m.deployments()) {
        providers.add(d.provider());
      }
    }
    List<Future<?>> probes = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String provider : providers) {
      probes.add(vertx.eventBus().request(Addresses.connectorPing(provider), null,
              new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS))
          .onFailure(e -> missing.add(provider)));
    }
    Future.join(probes).onComplete(ar -> p.complete(missing.isEmpty() ? Status.OK()
        : Status.KO(new JsonObject().put("reason", "no connector reachable for " + missing))));
  }
}
