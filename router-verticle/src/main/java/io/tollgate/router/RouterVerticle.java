package io.tollgate.router;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.local.LocalMessage;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.ops.Capability;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.routing.RoutingStats;
import io.tollgate.api.routing.RoutingStatsRequest;
import io.tollgate.api.trace.HopTimers;
import io.tollgate.api.trace.Tracing;
import io.tollgate.router.policy.Decider;
import io.tollgate.router.policy.RoutingPolicy;
import io.tollgate.router.policy.RoutingState;
import io.tollgate.router.policy.RoutingVersion;
import io.tollgate.router.policy.Rules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.time.Instant;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a model to its deployments, orders them with the model's policy and fails over before
 * the first byte. Several instances and nodes share {@link Addresses#ROUTER_ROUTE}. Every route
 * request is answered, whatever goes wrong on the way: an edge must never wait for a reply that a
 * thrown exception swallowed.
 *
 * <p>Each instance learns on its own: it consumes every published outcome into its own
 * {@link RoutingState} on its own event loop, so instances and nodes converge on the same
 * statistics without locks or a store on the hot path.
 */
public final class RouterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticle.class);

  private final RouterOptions options;
  private final Supplier<ConfigIndex> config;
  private final LongSupplier nanoClock;
  private final RandomGenerator random;
  private final LongFunction<Future<Void>> sleep;
  private Decider decider;
  private StatsSnapshots snapshots;
  private long snapshotTimer = -1;
  private final BreakerGauges gauges;
  private long gaugeTimer = -1;
  private Tracing tracing = Tracing.OFF;
  private HopTimers hops = HopTimers.NONE;
  /** Null: the event bus. */
  private ConnectorCalls connectorCalls;

  public RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config) {
    this(options, config, System::nanoTime, new SplittableRandom());
  }

  /** With the clock that times breakers and decay, and the generator of random choices (tests). */
  public RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config, LongSupplier nanoClock,
                        RandomGenerator random) {
    this(options, config, nanoClock, random, null);
  }

  /** ... and the wait between retries of a deployment ({@code null}: a Vert.x timer; tests pass a fake one). */
  RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config, LongSupplier nanoClock, RandomGenerator random,
                 LongFunction<Future<Void>> sleep) {
    this(options, config, nanoClock, random, sleep, BreakerGauges.NONE);
  }

  /** With the node's breaker gauges ({@code tollgate_breaker_state}), which this instance keeps current. */
  public RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config, BreakerGauges gauges) {
    this(options, config, System::nanoTime, new SplittableRandom(), null, gauges);
  }

  /** ... and the node's tracer and event-bus hop meters (the route hop is timed here). */
  public RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config, BreakerGauges gauges, Tracing tracing,
                        HopTimers hops) {
    this(options, config, gauges);
    this.tracing = tracing;
    this.hops = hops;
  }

  RouterVerticle(RouterOptions options, Supplier<ConfigIndex> config, LongSupplier nanoClock, RandomGenerator random,
                 LongFunction<Future<Void>> sleep, BreakerGauges gauges) {
    this.gauges = gauges;
    this.sleep = sleep;
    this.options = options;
    this.config = config;
    this.nanoClock = nanoClock;
    this.random = random;
  }

  /**
   * Reaches connectors through {@code calls} (the local path: a connector on this router's context,
   * the event bus for providers it does not serve); before start.
   */
  public RouterVerticle withConnectorCalls(ConnectorCalls calls) {
    this.connectorCalls = calls;
    return this;
  }

  /**
   * Routes {@code request} as if it had come over the event bus, without it (the local path).
   * Call it on this router's context: the reply's listeners run there.
   */
  public Future<Message<RouteResult>> routeHere(RouteRequest request, long timeoutMs) {
    return LocalMessage.request(context, Addresses.ROUTER_ROUTE, request, timeoutMs, this::route);
  }

  @Override
  public Future<?> start() {
    decider = new Decider(new RoutingState(nanoClock), random);
    if (connectorCalls == null) {
      connectorCalls = ConnectorCalls.bus(vertx.eventBus());
    }
    Future<Void> warm = Future.succeededFuture();
    if (options.redisUrl() != null) {
      snapshots = new StatsSnapshots(vertx, options.redisUrl(), options.snapshotIntervalMs());
      // Before the outcome consumer exists, so that nothing learned here is counted twice.
      warm = snapshots.load()
          .map(snapshot -> {
            if (snapshot != null) {
              int arms = decider.state().restore(snapshot, System.currentTimeMillis());
              LOG.info("routing statistics restored from the snapshot of {} ({} deployments)",
                  Instant.ofEpochMilli(snapshot.takenAtMillis()), arms);
            }
            return (Void) null;
          })
          .recover(e -> {
            LOG.warn("starting with cold routing statistics: the snapshot could not be read ({})", e.toString());
            return Future.succeededFuture();
          });
      String writerId = UUID.randomUUID().toString();
      snapshotTimer = vertx.setPeriodic(options.snapshotIntervalMs(), id -> snapshots
          .save(decider.state().snapshot(System.currentTimeMillis()), writerId)
          .onFailure(e -> LOG.debug("routing snapshot not written: {}", e.toString())));
    }
    gaugeTimer = vertx.setPeriodic(BreakerGauges.PERIOD_MS, id -> publishBreakers());
    return warm.compose(v -> register());
  }

  /** This instance's view of every configured deployment's breaker, for the node's gauges. */
  private void publishBreakers() {
    ConfigIndex index = config.get();
    if (index == null) {
      return;
    }
    for (ModelConfig model : index.models()) {
      gauges.update(decider.state().stats(model, decider.version(model)));
    }
  }

  @Override
  public Future<?> stop() {
    if (snapshotTimer >= 0) {
      vertx.cancelTimer(snapshotTimer);
    }
    vertx.cancelTimer(gaugeTimer);
    return snapshots == null ? Future.succeededFuture() : snapshots.close();
  }

  private Future<?> register() {
    var route = vertx.eventBus().<RouteRequest>consumer(Addresses.ROUTER_ROUTE, this::route);
    var ping = vertx.eventBus().consumer(Addresses.ROUTER_PING, msg -> msg.reply(null));
    var outcomes = vertx.eventBus().<Outcome>consumer(Addresses.OUTCOMES, this::observe);
    var stats = vertx.eventBus().<RoutingStatsRequest>consumer(Addresses.ROUTER_STATS, this::stats);
    return Future.all(route.completion(), ping.completion(), outcomes.completion(), stats.completion());
  }

  private void observe(Message<Outcome> msg) {
    ConfigIndex index = config.get();
    Outcome outcome = msg.body();
    if (index != null && outcome.model() != null) {
      decider.state().observe(outcome, index.model(outcome.model()));
    }
  }

  private void stats(Message<RoutingStatsRequest> msg) {
    ConfigIndex index = config.get();
    String name = msg.body() == null ? null : msg.body().model();
    ModelConfig model = index == null || name == null ? null : index.model(name);
    if (model == null) {
      msg.fail(ErrorCode.MODEL_NOT_FOUND.wire(), "The model '" + name + "' does not exist");
      return;
    }
    RoutingStats stats = decider.state().stats(model, decider.version(model));
    if (model.canary() != null) {
      stats = new RoutingStats(stats.model(), stats.policy(), stats.routingVersion(), stats.deployments(),
          RoutingVersion.of(model.canaryApplied()));
    }
    msg.reply(stats);
  }

  /** This instance's statistics of {@code model}, read on its own event loop (tests, diagnostics). */
  Future<RoutingStats> localStats(ModelConfig model) {
    Promise<RoutingStats> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(decider.state().stats(model, decider.version(model))));
    return promise.future();
  }

  private void route(Message<RouteRequest> msg) {
    RouteRequest request = msg.body();
    hops.received(HopTimers.Hop.ROUTE, request.sentAtNanos());
    String modelName = request.chat() == null && request.payload() == null ? null : request.model();
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
      return Future.succeededFuture(RouteResult.failed(request.model(), ErrorCode.SERVICE_UNAVAILABLE,
          "the router has not loaded its configuration yet", null));
    }
    ModelConfig model = index.model(request.model());
    if (model == null) {
      return Future.succeededFuture(RouteResult.failed(request.model(), ErrorCode.MODEL_NOT_FOUND,
          "The model '" + request.model() + "' does not exist", null));
    }
    Rules.Match rule = null;
    if (model.routesByRules()) {
      rule = Rules.match(model, request.chat(), request.tenantId());
      if (rule == null) {
        return Future.succeededFuture(RouteResult.failed(model.name(), ErrorCode.NO_DEPLOYMENT_AVAILABLE,
            "no routing rule of model " + model.name() + " matched the request", null));
      }
      ModelConfig target = index.model(rule.rule().model());
      if (target == null || target.routesByRules()) {
        // Rules do not chain: one level keeps decisions explainable and loops impossible.
        return Future.succeededFuture(RouteResult.failed(model.name(), ErrorCode.NO_DEPLOYMENT_AVAILABLE,
            "rule '" + rule.rule().name() + "' of model " + model.name() + " names model '" + rule.rule().model()
                + "', which " + (target == null ? "does not exist" : "is itself a rules model"), null));
      }
      model = target;
    }
    // A canary serves the tenants it covers (keys without a tenant count as their own tenant).
    model = decider.routingFor(model, request.tenantId() != null ? request.tenantId() : request.keyId());
    RoutingPolicy policy = RoutingPolicy.forNameOrNull(model.policy());
    if (policy == null) {
      // Only a snapshot from a newer admin node can carry a policy this router does not know.
      return Future.succeededFuture(RouteResult.failed(model.name(), ErrorCode.SERVICE_UNAVAILABLE,
          "model " + model.name() + " uses a routing policy this gateway node does not implement", null));
    }
    Set<Capability> needed = request.chat() != null ? Capability.needs(request.chat())
        : Capability.needs(request.payload());
    RouteResult incapable = Capabilities.refusal(model, needed);
    if (incapable != null) {
      return Future.succeededFuture(incapable);
    }
    Decider.Decision decision = decider.decide(model, policy, request.streaming(),
        d -> Capability.missing(d, needed) == null);
    if (rule != null) {
      RouteDecision inner = decision.decision();
      decision = new Decider.Decision(decision.candidates(), new RouteDecision(ModelConfig.POLICY_RULES,
          inner.routingVersion(), inner.propensity(), rule.reason() + "; " + inner.policy() + ": " + inner.reason()));
    }
    ModelConfig routed = model;
    LongFunction<Future<Void>> wait = sleep != null ? sleep
        : ms -> ms <= 0 ? Future.succeededFuture() : vertx.timer(ms).mapEmpty();
    return new Failover(vertx.eventBus(), options.callMarginMs(), request, model, decision.candidates(),
        decision.decision(), d -> decider.attempting(routed, d.id()), d -> decider.allows(routed, d.id()), wait,
        random, System::nanoTime, tracing)
        .via(connectorCalls).run();
  }
}
