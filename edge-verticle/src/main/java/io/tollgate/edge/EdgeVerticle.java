package io.tollgate.edge;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.edge.usage.OutboxOptions;
import io.tollgate.edge.usage.UsageOutbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible HTTP edge. Each instance owns one stream address on the event bus, where
 * connectors send the chunks of the requests this instance accepted.
 */
public final class EdgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeVerticle.class);
  private static final String KEY = "tollgate.key";
  private static final String REQUEST_ID = "tollgate.request-id";
  private static final String CONFIG = "tollgate.config";
  private static final String ARRIVAL = "tollgate.arrival";
  private static final String MODEL = "tollgate.model";
  /** Set once an exchange owns the request: from then on the exchange emits its usage event. */
  private static final String EXCHANGED = "tollgate.exchanged";
  private static final String CHAT_PATH = "/v1/chat/completions";
  private static final long WATCHDOG_PERIOD_MS = 1_000;

  private final EdgeOptions options;
  private final Supplier<ConfigIndex> config;
  private final String instanceId = UUID.randomUUID().toString();
  private final String streamAddress = Addresses.edgeStream(instanceId);
  private final StreamDemux demux = new StreamDemux();
  private final RequestIds ids = new RequestIds();
  private HttpServer server;
  private Thread loop;

  private final TrafficGate gate;
  private final ClientAddress clientAddress;
  private ConnectionGuard guard;
  private final OutboxOptions outboxOptions;
  private UsageOutbox outbox;

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate) {
    this(options, config, gate, OutboxOptions.DEFAULTS);
  }

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      OutboxOptions outboxOptions) {
    this.options = options;
    this.config = config;
    this.gate = gate;
    this.outboxOptions = outboxOptions;
    this.clientAddress = new ClientAddress(options.trustedProxies(), options.forwardedHeader());
  }

  @Override
  public Future<?> start() {
    loop = Thread.currentThread();
    outbox = new UsageOutbox(vertx, outboxOptions);
    Router router = Router.router(vertx);
    router.route().handler(this::requestId);
    router.route("/v1/*").handler(this::authenticate);
    router.post(CHAT_PATH).handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::chat);
    router.get("/v1/models").handler(this::models);
    router.get("/v1/models/:model").handler(this::model);
    router.route().failureHandler(this::failure);
    router.errorHandler(404, this::failure);
    router.errorHandler(405, this::failure);

    var consumer = vertx.eventBus().<StreamChunk>consumer(streamAddress, demux::onChunk);
    vertx.setPeriodic(WATCHDOG_PERIOD_MS, id -> demux.expireIdle(System.nanoTime()));
    guard = new ConnectionGuard(vertx, options);
    guard.start(options);
    server = vertx.createHttpServer(ConnectionGuard.serverOptions().setHost(options.host()).setPort(options.port()))
        .connectionHandler(guard::onConnection)
        .requestHandler(guard.requests(router));
    return Future.all(consumer.completion(), server.listen());
  }

  @Override
  public Future<?> stop() {
    if (outbox != null) {
      outbox.close();
    }
    return Future.succeededFuture();
  }

  /** This instance's usage outbox (events not yet acknowledged by billing and audit). */
  public UsageOutbox usageOutbox() {
    return outbox;
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }

  private void requestId(RoutingContext ctx) {
    String requestId = ids.next();
    String clientId = ctx.request().getHeader("x-request-id");
    ctx.put(REQUEST_ID, requestId);
    ctx.put(ARRIVAL, new UsageEvents.Arrival(requestId, Instant.now(), System.nanoTime()));
    ctx.response().putHeader("x-request-id", RequestIds.acceptable(clientId) ? clientId : requestId);
    ctx.next();
  }

  /** Authenticates against the config as of now, and keeps that view for the rest of the request. */
  private void authenticate(RoutingContext ctx) {
    ConfigIndex index = config.get();
    if (index == null) {
      throw new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
          "The gateway has not loaded its configuration yet; retry shortly.");
    }
    ApiKey key = KeyAuth.authenticate(index, ctx.request().getHeader("authorization"),
        clientAddress.of(ctx.request()), Instant.now());
    ctx.put(CONFIG, index);
    ctx.put(KEY, key);
    ctx.next();
  }

  private void chat(RoutingContext ctx) {
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    ChatRequest chat = ChatRequestParser.parse(ctx.body().buffer());
    ctx.put(MODEL, chat.model());
    ModelConfig model = index.model(chat.model());
    if (model == null) {
      throw new GatewayException(ErrorCode.MODEL_NOT_FOUND,
          "The model '" + chat.model() + "' does not exist or you do not have access to it.", "model");
    }
    KeyAuth.checkScope(key, model.name(), chat.model());
    String requestId = ctx.get(REQUEST_ID);
    gate.enter(requestId, key, index.tenant(key.tenantId()), chat, model, ctx.response())
        .onComplete(ar -> onThisLoop(() -> {
          if (ar.failed()) {
            ctx.fail(TrafficGate.unavailable(ar.cause()));
          } else if (ctx.response().closed()) {
            gate.leave(ar.result(), false, null, null, model);
            emitRefused(ctx, ErrorCode.CANCELLED);
          } else {
            startExchange(ctx, requestId, key, chat, model, ar.result());
          }
        }));
  }

  /**
   * Exchanges and the demux map belong to this instance's event loop. Admission answers come from
   * the Redis client, which may complete them on another loop: hop back before touching them.
   */
  private void onThisLoop(Runnable action) {
    // Compared by thread: web handlers run on a duplicate of this verticle's context, same loop.
    if (Thread.currentThread() == loop) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void startExchange(RoutingContext ctx, String requestId, ApiKey key, ChatRequest chat, ModelConfig model,
                             TrafficGate.Ticket ticket) {
    ctx.put(EXCHANGED, Boolean.TRUE);
    UsageEvents.Arrival arrival = ctx.get(ARRIVAL);
    Exchange x = new Exchange(requestId, new HttpClientChannel(ctx), chat, model, cancels(model), System::nanoTime,
        options.idleMarginMs(), done -> {
          demux.remove(done);
          gate.leave(ticket, done.upstreamRan(), done.endDeploymentId(), done.endUsage(), model);
          outbox.offer(UsageEvents.finished(arrival, key, model, done, Instant.now(), System.nanoTime()));
        });
    // The client has its 504 while the exchange waits to settle: its concurrency slots are free again.
    x.onLinger(() -> gate.releaseSlots(ticket));
    demux.add(x);
    ctx.response().closeHandler(v -> x.clientClosed());
    long budgetMs = model.routeBudgetMs();
    RouteRequest route = new RouteRequest(requestId, chat, streamAddress, key.id(), key.tenantId(), budgetMs);
    // The router answers within the budget; the margin is for the hops there and back.
    vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE, route,
            new DeliveryOptions().setSendTimeout(budgetMs + options.routeMarginMs()))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            x.routed(ar.result().body());
          } else {
            boolean noAnswer = ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT;
            x.routeFailed(noAnswer
                ? new GatewayException(ErrorCode.GATEWAY_TIMEOUT, "No deployment started answering within the "
                    + "route budget of " + budgetMs + " ms.")
                : GatewayException.from(ar.cause()), noAnswer);
          }
        });
  }

  private Exchange.Cancels cancels(ModelConfig model) {
    EventBus bus = vertx.eventBus();
    return new Exchange.Cancels() {
      @Override
      public void toConnector(String controlAddress, Cancel cancel) {
        bus.send(controlAddress, cancel);
      }

      @Override
      public void everywhere(Cancel cancel) {
        Set<String> providers = new LinkedHashSet<>();
        model.deployments().forEach(d -> providers.add(d.provider()));
        providers.forEach(p -> bus.publish(Addresses.connectorCancel(p), cancel));
      }
    };
  }

  private void models(RoutingContext ctx) {
    ApiKey key = ctx.get(KEY);
    ConfigIndex index = ctx.get(CONFIG);
    List<ModelConfig> visible = index.models().stream()
        .filter(m -> key.models().isEmpty() || key.models().contains(m.name()))
        .toList();
    ctx.response().putHeader("content-type", "application/json").end(OpenAiFormat.models(visible).toBuffer());
  }

  private void model(RoutingContext ctx) {
    ApiKey key = ctx.get(KEY);
    String name = ctx.pathParam("model");
    ConfigIndex index = ctx.get(CONFIG);
    ModelConfig model = index.model(name);
    if (model == null || !(key.models().isEmpty() || key.models().contains(model.name()))) {
      throw new GatewayException(ErrorCode.MODEL_NOT_FOUND,
          "The model '" + name + "' does not exist or you do not have access to it.", "model");
    }
    ctx.response().putHeader("content-type", "application/json").end(OpenAiFormat.model(name).toBuffer());
  }

  /** The one place that turns a failure into an HTTP answer: the OpenAI error envelope. */
  private void failure(RoutingContext ctx) {
    GatewayException e = toGatewayException(ctx);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("request failed request_id={}", (Object) ctx.get(REQUEST_ID), ctx.failure());
    }
    if (CHAT_PATH.equals(ctx.request().path()) && ctx.get(EXCHANGED) == null) {
      emitRefused(ctx, e.code());
    }
    var response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    List<Attempt> attempts = ctx.get(HttpClientChannel.ATTEMPTS);
    if ((e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.SERVICE_UNAVAILABLE)
        && !response.headers().contains("retry-after")) {
      response.putHeader("retry-after", "1");
    }
    response.setStatusCode(e.code().status()).putHeader("content-type", "application/json")
        .end(OpenAiFormat.error(e, attempts).toBuffer());
  }

  /**
   * A chat request answered before an exchange owned it: audited, with no usage. Only once its key
   * is known: unauthenticated traffic must not be able to crowd the outbox and push out billable
   * events.
   */
  private void emitRefused(RoutingContext ctx, ErrorCode code) {
    UsageEvents.Arrival arrival = ctx.get(ARRIVAL);
    ApiKey key = ctx.get(KEY);
    if (arrival != null && key != null) {
      UsageEvent event = UsageEvents.refused(arrival, key, ctx.get(MODEL), code, Instant.now(), System.nanoTime());
      onThisLoop(() -> outbox.offer(event));
    }
  }

  private GatewayException toGatewayException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof GatewayException g) {
      return g;
    }
    return switch (ctx.statusCode()) {
      case 404 -> new GatewayException(ErrorCode.NOT_FOUND,
          "Unknown request URL: " + ctx.request().method() + " " + ctx.request().path() + ".");
      case 405 -> new GatewayException(ErrorCode.METHOD_NOT_ALLOWED,
          "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path() + ".");
      case 413 -> new GatewayException(ErrorCode.BODY_TOO_LARGE,
          "The request body is larger than the gateway's limit of " + options.maxBodyBytes() + " bytes.");
      case 400 -> new GatewayException(ErrorCode.INVALID_REQUEST, "The request could not be read.");
      default -> new GatewayException(ErrorCode.INTERNAL, "The gateway failed to process the request.");
    };
  }
}
