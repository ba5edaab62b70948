package io.tollgate.launcher;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.admin.AdminOptions;
import io.tollgate.admin.AdminVerticle;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.Migrations;
import io.tollgate.audit.AuditOptions;
import io.tollgate.audit.AuditVerticle;
import io.tollgate.billing.BillingOptions;
import io.tollgate.billing.BillingVerticle;
import io.tollgate.billing.alerts.AlertOptions;
import io.tollgate.billing.reconcile.ReconcileJob;
import io.tollgate.billing.reconcile.Reconciler;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.GlobalLimits;
import io.tollgate.api.config.StorageConfig;
import io.tollgate.api.trace.HopTimers;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.Credentials;
import io.tollgate.edge.EdgeOptions;
import io.tollgate.edge.EdgeVerticle;
import io.tollgate.edge.batch.BatchLink;
import io.tollgate.edge.batch.BatchStore;
import io.tollgate.edge.batch.BatchWorker;
import io.tollgate.edge.cache.CacheMetrics;
import io.tollgate.edge.cache.EdgeCaches;
import io.tollgate.edge.channel.ExternalChannel;
import io.tollgate.edge.metrics.EdgeMetrics;
import io.tollgate.edge.usage.OutboxOptions;
import io.tollgate.edge.format.responses.PgResponseStore;
import io.tollgate.edge.format.responses.ResponseStore;
import io.tollgate.edge.TrafficGate;
import io.tollgate.router.RouterOptions;
import io.tollgate.router.BreakerGauges;
import io.tollgate.router.RouterVerticle;
import io.tollgate.traffic.Admission;
import io.tollgate.traffic.ConcurrencyLimiter;
import io.tollgate.traffic.PipelinedRedis;
import io.tollgate.traffic.ResilientAdmission;
import io.tollgate.traffic.TrafficOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its Vert.x instance, the verticles of its roles and its management server.
 *
 * <p>Where edge and router nodes get tenants, keys and models from: with an admin role in the
 * cluster (always with {@code --cluster}, and in a single JVM that runs the admin role, the
 * default) from the admin nodes over the event bus ({@link ConfigFeed}: a snapshot, then change
 * events), Postgres being the source of truth and {@code --config} an import into it. A single JVM
 * without the admin role serves the config file as is, from memory. The gateway-wide {@code limits}
 * travel the same way: edges read them from the configuration they serve, per request.
 */
public final class Tollgate {

  private static final Logger LOG = LoggerFactory.getLogger(Tollgate.class);
  private static final int RESPONSE_POOL_SIZE = 4;
  private static final long RESPONSE_PURGE_PERIOD_MS = 3_600_000;
  /** Connections of the billing and audit roles together (each writes one batch at a time). */
  private static final int LEDGER_POOL_SIZE = 4;
  /** {@code TOLLGATE_NATIVE_TRANSPORT}: {@code off} keeps Java NIO even where Linux epoll is available. */
  static final String NATIVE_TRANSPORT_ENV = "TOLLGATE_NATIVE_TRANSPORT";
  /** How often a drain looks whether the usage outboxes are empty. */
  private static final long DRAIN_CHECK_MS = 50;

  private final Vertx vertx;
  private final Settings settings;
  private final GatewayConfig config;
  private final EmbeddedServices services;
  private final TracingSetup.Telemetry telemetry;
  private final List<EdgeVerticle> edges = new CopyOnWriteArrayList<>();
  private HttpServer management;
  private ResilientAdmission admission;
  private boolean limitsFailClosed;
  private AdminVerticle admin;
  private ConfigFeed feed;
  private FileConfigSource fileSource;
  private final List<ConnectorVerticle> connectors = new CopyOnWriteArrayList<>();
  /** Set once by {@link #drain}: readiness answers 503 from then on. */
  private volatile boolean draining;
  /** The edges' port once they all listen (-1 before), for the admin's GET /admin/v1/info on another thread. */
  private volatile int listeningEdgePort = -1;

  private Tollgate(Vertx vertx, Settings settings, GatewayConfig config, EmbeddedServices services,
                   TracingSetup.Telemetry telemetry) {
    this.telemetry = telemetry;
    this.vertx = vertx;
    this.settings = settings;
    this.config = config;
    this.services = services;
  }

  /**
   * Starts a node. Reading the config, the admin token and starting embedded databases happen
   * before any event loop runs, so these blocking steps are fine here.
   */
  public static Future<Tollgate> start(Settings settings, Function<String, String> env) {
    GatewayConfig config;
    EmbeddedServices services;
    String adminToken;
    String secretsKey;
    String clusterSecret;
    EventBusOptions eventBus;
    TracingSetup.Telemetry telemetry;
    try {
      clusterSecret = settings.cluster() ? settings.clusterSecurity().requireFor(settings.clusterHost()) : null;
      eventBus = settings.cluster() ? settings.clusterSecurity().tls().eventBusOptions() : null;
      adminToken = settings.roles().contains(Role.ADMIN) ? AdminToken.resolve(settings) : null;
      secretsKey = settings.roles().contains(Role.ADMIN) ? SecretsKey.resolve(settings, env) : null;
      config = settings.configFile() != null || needsConfigFile(settings) ? loadConfig(settings, env) : null;
      telemetry = TracingSetup.start(env, settings.roles());
      try {
        services = EmbeddedServices.start(settings, config == null ? StorageConfig.NONE : config.storage());
      } catch (RuntimeException e) {
        telemetry.close();
        throw e;
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Linux epoll where its native library loads (fewer syscalls and copies than NIO), else NIO.
    VertxOptions options = new VertxOptions().setMetricsOptions(vertxMetrics())
        .setPreferNativeTransport(!"off".equalsIgnoreCase(String.valueOf(env.apply(NATIVE_TRANSPORT_ENV)).trim()));
    if (settings.cluster()) {
      options.setEventBusOptions(eventBus);
    }
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    Future<Vertx> vertx = settings.cluster()
        ? builder.withClusterManager(ClusterSetup.clusterManager(settings, clusterSecret, env)).buildClustered()
        : Future.succeededFuture(builder.build());
    return vertx.compose(v -> {
      LOG.info("network transport: {}", v.isNativeTransportEnabled() ? "epoll (native)"
          : "NIO" + (options.getPreferNativeTransport() ? " (epoll unavailable: " + v.unavailableNativeTransportCause() + ")" : ""));
      Codecs.registerAll(v);
      Tollgate node = new Tollgate(v, settings, config, services, telemetry);
      return node.deploy(registry, env, adminToken, secretsKey).map(node)
          .recover(err -> node.close().transform(ignored -> Future.failedFuture(err)));
    }).onFailure(err -> {
      services.stop();
      telemetry.close();
    });
  }

  /**
   * Vert.x's own meters, limited to what our meters do not already say: worker pools, SQL and
   * Redis clients, connections, and the JVM (heap, GC pauses, allocation, threads). The per-request
   * HTTP server and client meters cost allocations on every request and repeat
   * tollgate_requests_total and tollgate_upstream_latency_seconds; the event-bus meters are per
   * address, and our per-instance addresses made new series at every restart.
   */
  static MicrometerMetricsOptions vertxMetrics() {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /**
   * The upstream connection pools from the environment: {@code TOLLGATE_UPSTREAM_POOL_SIZE} (HTTP/1.1
   * connections per connector instance and host), {@code TOLLGATE_UPSTREAM_POOL_QUEUE} (calls that
   * may wait for one; beyond, 503 {@code upstream_pool_exhausted}), {@code TOLLGATE_UPSTREAM_HTTP2}
   * ({@code off} keeps HTTPS upstreams on HTTP/1.1), {@code TOLLGATE_UPSTREAM_CA_FILE} (PEM CAs to
   * trust besides the JVM's). A bad number stops the node with the variable's name.
   */
  static ConnectorOptions upstreamPool(ConnectorOptions options, Function<String, String> env) {
    String size = env.apply("TOLLGATE_UPSTREAM_POOL_SIZE");
    String queue = env.apply("TOLLGATE_UPSTREAM_POOL_QUEUE");
    String http2 = env.apply("TOLLGATE_UPSTREAM_HTTP2");
    String ca = env.apply("TOLLGATE_UPSTREAM_CA_FILE");
    try {
      if (size != null && !size.isBlank()) {
        options.setHttpPoolSize(Integer.parseInt(size.trim()));
      }
      if (queue != null && !queue.isBlank()) {
        options.setHttpPoolQueue(Integer.parseInt(queue.trim()));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_POOL_SIZE / TOLLGATE_UPSTREAM_POOL_QUEUE: " + e.getMessage());
    }
    if (http2 != null && !http2.isBlank()) {
      options.setHttp2(!java.util.Set.of("off", "false", "0").contains(http2.trim().toLowerCase(java.util.Locale.ROOT)));
    }
    if (ca != null && !ca.isBlank()) {
      options.setUpstreamTrust(new io.vertx.core.net.PemTrustOptions().addCertPath(ca.trim()));
    }
    return options;
  }

  /** Admin nodes import the file (or the demo config); a lone JVM without admin serves it directly. */
  private static boolean needsConfigFile(Settings settings) {
    return settings.roles().contains(Role.ADMIN) || !usesFeed(settings)
        && (settings.roles().contains(Role.EDGE) || settings.roles().contains(Role.ROUTER));
  }

  /**
   * Where a node's configuration comes from, in this order: an admin node serves its database
   * (and imports {@code --config} into it); any other node started with {@code --config} serves
   * that file and follows its changes ({@link FileConfigSource}: GitOps clusters without a
   * database); a clustered node without it follows the admin nodes' feed. So in a cluster that has
   * admin nodes, a node given a file keeps to its file (said at start, never silently).
   */
  private static boolean usesFeed(Settings settings) {
    return settings.roles().contains(Role.ADMIN) || settings.cluster() && settings.configFile() == null;
  }

  private static GatewayConfig loadConfig(Settings settings, Function<String, String> env) {
    return settings.configFile() == null ? DemoConfig.load(settings, env)
        : ConfigLoader.load(settings.configFile(), env);
  }

  private Future<Void> deploy(PrometheusMeterRegistry registry, Function<String, String> env, String adminToken,
                              String secretsKey) {
    Supplier<ConfigIndex> index = configSource(env);
    if (fileSource != null) {
      LOG.info("config source: the file {}, checked every {} ms{}", settings.configFile(),
          FileConfigSource.DEFAULT_POLL_MS, settings.cluster()
              ? " (this node does not follow admin nodes: changes made through an admin API do not apply here)" : "");
      fileSource.start();
      FunctionCounter.builder("tollgate_config_reloads", fileSource, FileConfigSource::reloads)
          .description("Times the config file was read again and applied").tag("result", "applied").register(registry);
      FunctionCounter.builder("tollgate_config_reloads", fileSource, FileConfigSource::failures)
          .description("Times a changed config file was refused (the last good one stays)").tag("result", "refused")
          .register(registry);
    }
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    DeploymentOptions many = new DeploymentOptions().setInstances(instances);
    Future<?> chain = Future.succeededFuture();
    // Admin first (it serves the config), then connectors, routers and edges: each role's
    // dependencies are up before it takes traffic.
    if (settings.roles().contains(Role.ADMIN)) {
      admin = new AdminVerticle(new AdminOptions().setHost(settings.bindHost())
          .setPort(settings.adminPort()).setToken(adminToken)
          .setPostgresUri(services.pgUrl()).setSeedConfig(config).setSecretsKey(secretsKey)
          .setGatewayUrl(ConsoleUrls.gatewayUrl(env, settings.bindHost(), () -> listeningEdgePort)));
      chain = chain.compose(x -> vertx.deployVerticle(admin));
    }
    chain = deployLedger(chain, registry, env);
    if (feed != null) {
      chain = chain.compose(x -> feed.start()).compose(x -> settings.cluster() ? Future.succeededFuture()
          : feed.whenReady());
    }
    // The local path: each edge instance starts its router and connector on its own event loop.
    boolean local = LocalRequestPath.enabled(settings.roles().contains(Role.EDGE),
        settings.roles().contains(Role.ROUTER), settings.roles().contains(Role.CONNECTOR), env.apply(LocalRequestPath.ENV));
    Supplier<ConnectorVerticle> connectorFactory = null;
    Supplier<RouterVerticle> routerFactory = null;
    if (settings.roles().contains(Role.CONNECTOR)) {
      ConcurrencyLimiter deploymentSlots = ConcurrencyLimiter.create(vertx);
      queueDepth(registry, deploymentSlots, "deployment");
      // The node's own config file sets where its connectors may call; a connector without one
      // (a clustered node fed by the admin role) keeps the defaults.
      ConnectorOptions connector = upstreamPool(new ConnectorOptions(), env).setEnvironment(env)
          .setMeterRegistry(registry).setEgress(config == null ? null : config.egress())
          .setTracing(telemetry.tracing());
      // One resolver per node: a credential file or stored secret is fetched once for all instances.
      Credentials credentials = new Credentials(vertx, connector);
      connectorFactory = () -> {
        ConnectorVerticle c = new ConnectorVerticle(connector, deploymentSlots, credentials);
        connectors.add(c);
        return c;
      };
      Supplier<ConnectorVerticle> newConnector = connectorFactory;
      chain = chain.compose(x -> credentials.start());
      if (!local) {
        chain = chain.compose(x -> vertx.deployVerticle(newConnector::get, many));
      }
    }
    if (settings.roles().contains(Role.ROUTER)) {
      // Routers keep a snapshot of what they learned in the cluster's Redis when they know it, so a late joiner starts warm.
      String redisUrl = services.redisUrl() != null ? services.redisUrl() : settings.redisUrl() != null
          ? settings.redisUrl() : config == null || config.storage() == null ? null : config.storage().redisUrl();
      RouterOptions router = RouterOptions.DEFAULTS.withRedis(redisUrl);
      BreakerGauges breakers = new BreakerGauges(registry);
      HopTimers hops = new HopTimers(registry);
      routerFactory = () -> new RouterVerticle(router, index, breakers, telemetry.tracing(), hops);
      Supplier<RouterVerticle> newRouter = routerFactory;
      if (!local) {
        chain = chain.compose(x -> vertx.deployVerticle(newRouter::get, many));
      }
    }
    LocalRequestPath localPath = local ? new LocalRequestPath(connectorFactory, routerFactory) : null;
    if (local) {
      LOG.info("local path: each edge instance routes and calls upstream on its own event loop ({}=off to turn it off)",
          LocalRequestPath.ENV);
    }
    if (settings.roles().contains(Role.EDGE)) {
      // rpm and tpm come from the configuration served (the cluster's, or this JVM's file), per
      // request; fail_closed decides how the admission is built, so it is fixed at start.
      GlobalLimits global = config == null ? GlobalLimits.NONE : config.limits();
      limitsFailClosed = settings.limitsFailClosed() || Boolean.TRUE.equals(global.failClosed());
      TrafficOptions traffic = new TrafficOptions().setRedisUrl(services.redisUrl()).setFailClosed(limitsFailClosed);
      // One Redis client for admission and the caches; their commands pipeline on one connection
      // (see PipelinedRedis), so a burst never queues for the pool past their deadlines.
      Redis redis = new PipelinedRedis(Redis.createClient(vertx, traffic.toRedisOptions()));
      admission = Admission.resilient(vertx, redis, traffic);
      EdgeCaches caches = EdgeCaches.create(redis, CacheSettings.options(env), new CacheMetrics(registry));
      ConcurrencyLimiter edgeSlots = ConcurrencyLimiter.create(vertx);
      queueDepth(registry, edgeSlots, "key");
      queueDepth(registry, edgeSlots, "tenant");
      TrafficGate gate = new TrafficGate(admission, edgeSlots, traffic, () -> {
        ConfigIndex current = index.get();
        return current == null ? GlobalLimits.NONE : current.limits();
      });
      if (feed != null) {
        feed.onChange(new FailClosedNotice(limitsFailClosed)::check);
      }
      chain = chain.compose(x -> admission.start());
      // A negative port makes every instance share one random port (port 0 would give each its own).
      EdgeOptions edge = settings.edge().apply(EdgeOptions.defaults().withHost(settings.bindHost())
          .withPort(settings.httpPort() == 0 ? -1 : settings.httpPort()), instances);
      ResponseStore responseStore = responseStore(registry);
      // One set of edge meters per node, shared by its edge instances and the gate.
      EdgeMetrics edgeMetrics = new EdgeMetrics(registry);
      gate.withMetrics(edgeMetrics);
      Gauge.builder("tollgate_usage_outbox_depth", this, Tollgate::usageDepth)
          .description("Usage events of this node's edges not yet acknowledged by billing and audit")
          .register(registry);
      // Signed requests of external keys: nonces and failure counts in the same Redis as the limits.
      ExternalChannel channel = new ExternalChannel(vertx, redis,
          ChannelSettings.from(env));
      BatchStore batchStore = BatchSettings.store(vertx, pgUrl(), env);
      BatchLink batchLink = new BatchLink();
      // The console's origin is only known once the admin listens (port 0 in tests), hence inside the chain.
      chain = chain.compose(x -> vertx.deployVerticle(() -> {
        EdgeVerticle e = new EdgeVerticle(edge.withConsoleOrigins(ConsoleUrls.consoleOrigins(env, settings.bindHost(),
            adminPort())), index, gate, responseStore, OutboxOptions.DEFAULTS, edgeMetrics, caches,
            telemetry.tracing())
            .withChannel(channel).withBatches(batchStore, batchLink).withLocalPath(localPath);
        edges.add(e);
        return e;
      }, many).onSuccess(id -> listeningEdgePort = httpPort()));
      // One batch worker per node with PostgreSQL, sending its lines through this node's edge.
      if (batchStore != null) {
        chain = chain.compose(x -> vertx.deployVerticle(new BatchWorker(batchStore, batchLink, edge.host(),
            edges.get(0).actualPort())));
      }
    }
    Management.Checks checks = new Management.Checks(index, feed, admission, limitsFailClosed,
        admin == null ? null : () -> admin.store().ping(), this::draining);
    return chain.compose(x -> Management.start(vertx, settings, registry, checks))
        .onSuccess(server -> {
          management = server;
          logStarted();
        })
        .mapEmpty();
  }

  /**
   * Stored Responses API answers, in the PostgreSQL of this JVM's admin role or the configured one
   * (TOLLGATE_PG_URL, storage.postgres_url); without one, nothing is stored. One small pool for all
   * edge instances: it is used only by clients that store or continue responses.
   */
  private ResponseStore responseStore(PrometheusMeterRegistry registry) {
    String pgUrl = pgUrl();
    if (pgUrl == null) {
      return ResponseStore.NONE;
    }
    PgResponseStore store = new PgResponseStore(ConfigStore.pool(vertx, pgUrl, RESPONSE_POOL_SIZE),
        PgResponseStore.DEFAULT_TTL);
    FunctionCounter.builder("tollgate_responses_store_failures", store, PgResponseStore::failedSaves)
        .description("Responses the client asked to store that could not be written").register(registry);
    vertx.setPeriodic(RESPONSE_PURGE_PERIOD_MS, id -> store.purgeExpired()
        .onFailure(e -> LOG.warn("could not purge expired stored responses: {}", e.toString())));
    return store;
  }

  /** This JVM's admin PostgreSQL, else the configured one (TOLLGATE_PG_URL, storage.postgres_url), else null. */
  String pgUrl() {
    return services.pgUrl() != null ? services.pgUrl()
        : settings.pgUrl() != null ? settings.pgUrl() : config == null ? null : config.storage().postgresUrl();
  }

  /**
   * Billing and audit write to the admin's PostgreSQL. They migrate it themselves (the migrations
   * take a lock, so nodes starting together apply each once): a billing node must not depend on an
   * admin node having started first. One instance each: a verticle writes one batch at a time and
   * the next fills meanwhile, so the batches grow with load.
   */
  private Future<?> deployLedger(Future<?> chain, PrometheusMeterRegistry registry, Function<String, String> env) {
    boolean billing = settings.roles().contains(Role.BILLING);
    boolean audit = settings.roles().contains(Role.AUDIT);
    if (!billing && !audit) {
      return chain;
    }
    AuditOptions auditOptions;
    try {
      auditOptions = AuditOptions.DEFAULTS.withRetentionDays(retentionDays(env, config));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    var pool = ledgerPool(vertx, services.pgUrl());
    Future<?> next = chain.compose(x -> Migrations.migrate(vertx, pool));
    if (billing) {
      AlertOptions alerts = AlertSettings.parse(env);
      ReconcileJob reconcile = reconcileJob(pool, registry);
      next = next.compose(x -> vertx.deployVerticle(new BillingVerticle(BillingOptions.DEFAULTS, pool, alerts,
          registry, reconcile)));
    }
    if (audit) {
      next = next.compose(x -> vertx.deployVerticle(new AuditVerticle(auditOptions, pool)));
    }
    return next;
  }

  /**
   * {@code audit.retention_days}: {@code TOLLGATE_AUDIT_RETENTION_DAYS}, else the config file's
   * {@code audit.retention_days}, else {@link AuditOptions#DEFAULT_RETENTION_DAYS}. A value that is
   * not a whole number >= 1 refuses the start (never silently the default).
   */
  static int retentionDays(Function<String, String> env, GatewayConfig config) {
    String value = env.apply("TOLLGATE_AUDIT_RETENTION_DAYS");
    if (value != null && !value.isBlank()) {
      try {
        int days = Integer.parseInt(value.trim());
        if (days >= 1) {
          return days;
        }
      } catch (NumberFormatException e) {
        // refused below
      }
      throw new IllegalArgumentException("TOLLGATE_AUDIT_RETENTION_DAYS must be a whole number of days >= 1, got '"
          + value + "'");
    }
    if (config != null && config.audit().retentionDays() != null) {
      return config.audit().retentionDays();
    }
    return AuditOptions.DEFAULT_RETENTION_DAYS;
  }

  /**
   * The reconciliation of the ledger against the limits' Redis counters, on a billing node that
   * knows that Redis (this JVM's edge's, TOLLGATE_REDIS_URL or storage.redis_url); null otherwise.
   */
  private ReconcileJob reconcileJob(Pool pool, PrometheusMeterRegistry registry) {
    String redisUrl = services.redisUrl() != null ? services.redisUrl() : settings.redisUrl() != null
        ? settings.redisUrl() : config == null || config.storage() == null ? null : config.storage().redisUrl();
    if (redisUrl == null) {
      LOG.info("billing: no Redis configured (TOLLGATE_REDIS_URL): this node does not reconcile the ledger "
          + "against the limits' counters");
      return null;
    }
    TrafficOptions traffic = new TrafficOptions().setRedisUrl(redisUrl);
    Reconciler reconciler = new Reconciler(pool, Redis.createClient(vertx, traffic.toRedisOptions()),
        traffic.getKeyPrefix(), Clock.systemUTC());
    return new ReconcileJob(pool, reconciler, Clock.systemUTC(), ReconcileJob.DEFAULT_HOUR_UTC, registry);
  }

  /**
   * The connections of the node's billing and audit verticles. Their few statements are prepared
   * once per connection: unprepared, every batch paid a parse and a plan in PostgreSQL and a
   * statement description in the driver.
   */
  static Pool ledgerPool(Vertx vertx, String pgUrl) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(LEDGER_POOL_SIZE))
        .connectingTo(PgConnectOptions.fromUri(pgUrl).setCachePreparedStatements(true))
        .using(vertx)
        .build();
  }

  /** The node's view of tenants, keys and models; null while it has none yet (answers are 503). */
  private Supplier<ConfigIndex> configSource(Function<String, String> env) {
    boolean servesTraffic = settings.roles().contains(Role.EDGE) || settings.roles().contains(Role.ROUTER);
    if (!servesTraffic) {
      return () -> null;
    }
    if (usesFeed(settings)) {
      ConfigFeed f = new ConfigFeed(vertx);
      feed = f;
      return () -> f.ready() ? f.current() : null;
    }
    if (settings.configFile() != null) {
      fileSource = new FileConfigSource(vertx, settings.configFile(), env, config, FileConfigSource.DEFAULT_POLL_MS);
      return fileSource;
    }
    ConfigIndex fixed = new ConfigIndex(Snapshots.fromConfig(config));
    return () -> fixed;
  }

  private void logStarted() {
    LOG.info("Tollgate started: roles={} cluster={} edge=http://{}:{} admin={} management=http://{}:{}",
        settings.roles(), settings.cluster(), settings.bindHost(), httpPort(),
        admin == null ? "-" : "http://" + settings.bindHost() + ":" + admin.actualPort(), settings.bindHost(),
        mgmtPort());
    if (config != null && settings.configFile() == null && settings.roles().contains(Role.EDGE)) {
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

  /** The admin API's port, or -1 when this node has no admin role. */
  public int adminPort() {
    return admin == null ? -1 : admin.actualPort();
  }

  public int mgmtPort() {
    return management == null ? -1 : management.actualPort();
  }

  /**
   * The first half of a graceful shutdown (SIGTERM): readiness turns 503 at once, edges refuse new
   * requests and connectors stop taking calls, and the future completes when every stream in
   * flight on this node has ended and its usage was acknowledged by billing and audit, or
   * {@code deadline} has passed, whichever comes first (it never fails). {@link #close} is the second half.
   */
  public Future<Void> drain(Duration deadline) {
    draining = true;
    List<Future<Void>> parts = new ArrayList<>();
    edges.forEach(e -> parts.add(e.drain()));
    connectors.forEach(c -> parts.add(c.drain()));
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> {
      if (done.tryComplete()) {
        LOG.warn("drain deadline of {} passed with streams open or usage not yet acknowledged ({} events); closing "
            + "anyway", deadline, usageDepth());
      }
    });
    // Streams first; then the usage their ends produced, until billing and audit acknowledged it.
    Future.all(parts).onComplete(ar -> outboxesEmpty(done, timer));
    return done.future();
  }

  private void outboxesEmpty(Promise<Void> done, long timer) {
    if (done.future().isComplete()) {
      return;
    }
    if (!usageDelivering()) {
      vertx.cancelTimer(timer);
      if (done.tryComplete()) {
        int left = usageDepth();
        if (left == 0) {
          LOG.info("drained: every stream on this node has ended and its usage was acknowledged");
        } else {
          LOG.warn("drained: every stream on this node has ended; {} usage events could not be delivered "
              + "(billing or audit unreachable) and are lost with this node", left);
        }
      }
    } else {
      vertx.setTimer(DRAIN_CHECK_MS, id -> outboxesEmpty(done, timer));
    }
  }

  private boolean usageDelivering() {
    for (EdgeVerticle e : edges) {
      if (e.usageOutbox() != null && e.usageOutbox().delivering()) {
        return true;
      }
    }
    return false;
  }

  /** {@code tollgate_queue_depth{scope}}: requests waiting for a concurrency slot, by kind of scope. */
  private static void queueDepth(PrometheusMeterRegistry registry, ConcurrencyLimiter limiter, String kind) {
    Gauge.builder("tollgate_queue_depth", limiter, l -> l.queuedOfKind(kind))
        .description("Requests waiting for a concurrency slot (per key, tenant or deployment)")
        .tag("scope", kind).register(registry);
  }

  /** Usage events of this node's edges not yet acknowledged by billing and audit. */
  private int usageDepth() {
    int sum = 0;
    for (EdgeVerticle e : edges) {
      if (e.usageOutbox() != null) {
        sum += e.usageOutbox().depth();
      }
    }
    return sum;
  }

  boolean draining() {
    return draining;
  }

  /**
   * Stops the node: Vert.x (every verticle, the cluster membership), then the embedded databases.
   * Runs on its own thread: closing Vert.x from one of its event loops would leave the result to
   * be delivered on a loop that no longer runs.
   */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    Thread closer = new Thread(() -> {
      if (admission != null) {
        admission.close();
      }
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      }
      services.stop();
      // After Vert.x: the spans of the last streams have ended and are exported now.
      telemetry.close();
      done.complete();
    }, "tollgate-close");
    closer.start();
    return done.future();
  }
}
