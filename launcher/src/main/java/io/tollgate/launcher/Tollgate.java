package io.tollgate.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.edge.EdgeOptions;
import io.tollgate.edge.EdgeVerticle;
import io.tollgate.edge.TrafficGate;
import io.tollgate.traffic.Admission;
import io.tollgate.traffic.ConcurrencyLimiter;
import io.tollgate.traffic.ResilientAdmission;
import io.tollgate.traffic.TrafficOptions;
import io.vertx.redis.client.Redis;
import io.tollgate.router.RouterOptions;
import io.tollgate.router.RouterVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running node: its Vert.x instance, the verticles of its roles and its management server. */
public final class Tollgate {

  private static final Logger LOG = LoggerFactory.getLogger(Tollgate.class);

  private final Vertx vertx;
  private final Settings settings;
  private final GatewayConfig config;
  private final EmbeddedServices services;
  private final List<EdgeVerticle> edges = new CopyOnWriteArrayList<>();
  private HttpServer management;
  private ResilientAdmission admission;

  private Tollgate(Vertx vertx, Settings settings, GatewayConfig config, EmbeddedServices services) {
    this.vertx = vertx;
    this.settings = settings;
    this.config = config;
    this.services = services;
  }

  /**
   * Starts a node. Reading the config and building Vert.x happen before any event loop runs, so the
   * blocking file reads here are fine.
   */
  public static Future<Tollgate> start(Settings settings, Function<String, String> env) {
    GatewayConfig config;
    EmbeddedServices services;
    try {
      config = settings.configFile() == null ? DemoConfig.load(settings, env)
          : ConfigLoader.load(settings.configFile(), env);
      services = EmbeddedServices.start(settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    Future<Vertx> vertx = settings.cluster()
        ? builder.withClusterManager(ClusterSetup.clusterManager(settings)).buildClustered()
        : Future.succeededFuture(builder.build());
    return vertx.compose(v -> {
      Codecs.registerAll(v);
      Tollgate node = new Tollgate(v, settings, config, services);
      return node.deploy(registry, env).map(node).recover(err -> node.close().transform(ignored -> Future.failedFuture(err)));
    }).onFailure(err -> services.stop());
  }

  private Future<Void> deploy(PrometheusMeterRegistry registry, Function<String, String> env) {
    AtomicReference<ConfigIndex> index = new AtomicReference<>(new ConfigIndex(Snapshots.fromConfig(config)));
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    DeploymentOptions many = new DeploymentOptions().setInstances(instances);
    Future<?> chain = Future.succeededFuture();
    // Connectors first, then routers, then edges: each role's dependencies are up before it takes traffic.
    if (settings.roles().contains(Role.CONNECTOR)) {
      ConcurrencyLimiter deploymentSlots = ConcurrencyLimiter.create(vertx);
      ConnectorOptions connector = new ConnectorOptions().setEnvironment(env);
      chain = chain.compose(x -> vertx.deployVerticle(() -> new ConnectorVerticle(connector, deploymentSlots), many));
    }
    if (settings.roles().contains(Role.ROUTER)) {
      chain = chain.compose(x -> vertx.deployVerticle(() -> new RouterVerticle(RouterOptions.DEFAULTS, index::get), many));
    }
    if (settings.roles().contains(Role.EDGE)) {
      TrafficOptions traffic = new TrafficOptions().setRedisUrl(services.redisUrl())
          .setFailClosed(settings.limitsFailClosed());
      admission = Admission.resilient(vertx, Redis.createClient(vertx, traffic.toRedisOptions()), traffic);
      TrafficGate gate = new TrafficGate(admission, ConcurrencyLimiter.create(vertx), traffic);
      chain = chain.compose(x -> admission.start());
      // A negative port makes every instance share one random port (port 0 would give each its own).
      EdgeOptions edge = new EdgeOptions(settings.bindHost(), settings.httpPort() == 0 ? -1 : settings.httpPort(),
          EdgeOptions.DEFAULT_MAX_BODY_BYTES, EdgeOptions.DEFAULT_IDLE_MARGIN_MS, EdgeOptions.DEFAULT_ROUTE_MARGIN_MS);
      chain = chain.compose(x -> vertx.deployVerticle(() -> {
        EdgeVerticle e = new EdgeVerticle(edge, index::get, gate);
        edges.add(e);
        return e;
      }, many));
    }
    for (Role role : settings.roles()) {
      if (!Role.IMPLEMENTED.contains(role)) {
        LOG.debug("role {} has no work in this version", role);
      }
    }
    return chain.compose(x -> Management.start(vertx, settings, registry, index::get, admission))
        .onSuccess(server -> {
          management = server;
          logStarted();
        })
        .mapEmpty();
  }

  private void logStarted() {
    LOG.info("Tollgate started: roles={} cluster={} models={} edge=http://{}:{} management=http://{}:{}",
        settings.roles(), settings.cluster(), config.models().size(), settings.bindHost(), httpPort(),
        settings.bindHost(), mgmtPort());
    if (settings.configFile() == null && settings.roles().contains(Role.EDGE)) {
      config.keys().stream().filter(k -> k.name().equals(DemoConfig.KEY_NAME)).findFirst().ifPresent(k ->
          LOG.info("Demo config (mock models {}); demo API key: {}",
              config.models().stream().map(m -> m.name()).toList(), k.secret()));
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The edge's port, or -1 when this node has no edge role. */
  public int httpPort() {
    return edges.isEmpty() ? -1 : edges.get(0).actualPort();
  }

  public int mgmtPort() {
    return management == null ? -1 : management.actualPort();
  }

  public GatewayConfig config() {
    return config;
  }

  public Future<Void> close() {
    if (admission != null) {
      admission.close();
    }
    return vertx.close().eventually(() -> vertx.executeBlocking(() -> {
      services.stop();
      return null;
    }).otherwiseEmpty().mapEmpty());
  }
}
