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
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.edge.metrics.EdgeMetrics;
import io.tollgate.edge.usage.OutboxOptions;
import io.tollgate.edge.usage.UsageOutbox;
import io.tollgate.edge.format.InboundFormat;
import io.tollgate.edge.format.anthropic.AnthropicFormat;
import io.tollgate.edge.format.completions.CompletionsFormat;
import io.tollgate.edge.format.embeddings.EmbeddingsFormat;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.tollgate.edge.format.openai.OpenAiFormat;
import io.tollgate.edge.format.rerank.RerankFormat;
import io.tollgate.edge.format.responses.ResponseStore;
import io.tollgate.edge.format.responses.ResponsesFormat;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
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
 * The HTTP edge: OpenAI chat and Anthropic Messages clients, each answered in its own format. Each
 * instance owns one stream address on the event bus, where connectors send the chunks of the
 * requests this instance accepted.
 */
public final class EdgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeVerticle.class);
  private static final String KEY = "tollgate.key";
  private static final String REQUEST_ID = "tollgate.request-id";
  private static final String CONFIG = "tollgate.config";
  /** The request's inbound format; set first, so that even a 404 or 401 answers in the client's envelope. */
  private static final String FORMAT = "tollgate.format";
  private static final String ARRIVAL = "tollgate.arrival";
  /** The model name the client asked for, once parsed (audit records keep it). */
  private static final String ASKED = "tollgate.model";
  /** Set once an exchange owns the request: from then on the exchange emits its usage event. */
  private static final String EXCHANGED = "tollgate.exchanged";
  static final String OVERHEAD_HEADER = "x-tollgate-overhead-ms";
  /** The endpoints whose every request is a usage event (answered, refused or failed). */
  private static final Set<String> CHAT_PATHS = Set.of("/v1/chat/completions", "/v1/messages", "/v1/responses",
      EmbeddingsFormat.PATH, RerankFormat.PATH, CompletionsFormat.PATH);
  private static final long WATCHDOG_PERIOD_MS = 1_000;
  /** How often a draining edge looks whether its last exchange ended. */
  private static final long DRAIN_CHECK_MS = 50;

  private final EdgeOptions options;
  private final Supplier<ConfigIndex> config;
  private final String instanceId = UUID.randomUUID().toString();
  private final String streamAddress = Addresses.edgeStream(instanceId);
  private final StreamDemux demux = new StreamDemux();
  private final RequestIds ids = new RequestIds();
  private HttpServer server;
  private Thread loop;
  /** Set on this verticle's loop when the node shuts down: new requests are refused, exchanges finish. */
  private boolean draining;

  private final TrafficGate gate;
  private final ClientAddress clientAddress;
  private ConnectionGuard guard;
  private final ResponseStore responseStore;
  private ResponsesRoutes responses;
  private final OutboxOptions outboxOptions;
  private final EdgeMetrics metrics;
  /** Set on start; read by the node's gauge and drain from other threads. */
  private volatile UsageSink usage;

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate) {
    this(options, config, gate, ResponseStore.NONE, OutboxOptions.DEFAULTS, EdgeMetrics.NONE);
  }

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      ResponseStore responseStore) {
    this(options, config, gate, responseStore, OutboxOptions.DEFAULTS, EdgeMetrics.NONE);
  }

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      OutboxOptions outboxOptions) {
    this(options, config, gate, ResponseStore.NONE, outboxOptions, EdgeMetrics.NONE);
  }

  /**
   * @param responseStore where Responses API answers are kept when the client asks ({@link ResponseStore#NONE}: nowhere)
   * @param outboxOptions how usage events travel to billing and audit
   * @param metrics       the node's edge metrics, shared by its edge instances
   */
  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      ResponseStore responseStore, OutboxOptions outboxOptions, EdgeMetrics metrics) {
    this.options = options;
    this.config = config;
    this.gate = gate;
    this.responseStore = responseStore;
    this.outboxOptions = outboxOptions;
    this.metrics = metrics;
    this.clientAddress = new ClientAddress(options.trustedProxies(), options.forwardedHeader());
  }

  @Override
  public Future<?> start() {
    loop = Thread.currentThread();
    usage = new UsageSink(new UsageOutbox(vertx, outboxOptions), metrics);
    Router router = Router.router(vertx);
    router.route().handler(this::requestId);
    formatRoute(router, "/v1/chat/completions", OpenAiChatFormat.INSTANCE);
    formatRoute(router, "/v1/messages", AnthropicFormat.INSTANCE);
    // Everything under /v1/messages (batches ... that the gateway does not serve) answers in Anthropic's envelope.
    formatRoute(router, "/v1/messages/*", AnthropicFormat.INSTANCE);
    formatRoute(router, "/v1/responses", ResponsesFormat.INSTANCE);
    formatRoute(router, "/v1/responses/*", ResponsesFormat.INSTANCE);
    formatRoute(router, EmbeddingsFormat.PATH, OpenAiChatFormat.INSTANCE);
    formatRoute(router, RerankFormat.PATH, OpenAiChatFormat.INSTANCE);
    formatRoute(router, CompletionsFormat.PATH, OpenAiChatFormat.INSTANCE);
    responses = new ResponsesRoutes(responseStore, this::admit, this::onThisLoop, context);
    // Before authentication: a client trying WebSocket mode learns at once to fall back to HTTP.
    router.get("/v1/responses").handler(ResponsesRoutes::refuseWebSocket);
    router.route("/v1/*").handler(this::authenticate);
    chatRoute(router, "/v1/chat/completions", OpenAiChatFormat.INSTANCE);
    chatRoute(router, "/v1/messages", AnthropicFormat.INSTANCE);
    router.post("/v1/messages/count_tokens").handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::countTokens);
    router.post("/v1/responses").handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(ctx -> responses.create(ctx, ctx.<ApiKey>get(KEY)));
    router.post(EmbeddingsFormat.PATH).handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::embeddings);
    router.post(RerankFormat.PATH).handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::rerank);
    router.post(CompletionsFormat.PATH).handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::completions);
    router.get("/v1/responses/:id").handler(ctx -> responses.get(ctx, ctx.<ApiKey>get(KEY)));
    router.delete("/v1/responses/:id").handler(ctx -> responses.delete(ctx, ctx.<ApiKey>get(KEY)));
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

  /** Marks requests to {@code path} as speaking {@code format}, before authentication can fail them. */
  private static void formatRoute(Router router, String path, InboundFormat format) {
    router.route(path).handler(ctx -> {
      ctx.put(FORMAT, format);
      ctx.next();
    });
  }

  /** A chat endpoint in {@code format}: body limit, parse, admission, routing, streaming, all shared. */
  private void chatRoute(Router router, String path, InboundFormat format) {
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(ctx -> chat(ctx, format));
  }

  private static InboundFormat formatOf(RoutingContext ctx) {
    InboundFormat format = ctx.get(FORMAT);
    return format == null ? OpenAiChatFormat.INSTANCE : format;
  }

  /**
   * Graceful shutdown: from now on requests are answered 503 (with {@code connection: close}, so
   * clients and balancers move to another node), and the future completes once every exchange in
   * flight here has ended (streams run to their end). The caller bounds the wait.
   */
  public Future<Void> drain() {
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> {
      draining = true;
      whenIdle(drained);
    });
    return drained.future();
  }

  private void whenIdle(Promise<Void> drained) {
    if (demux.size() == 0) {
      drained.tryComplete();
    } else {
      vertx.setTimer(DRAIN_CHECK_MS, id -> whenIdle(drained));
    }
  }

  @Override
  public Future<?> stop() {
    if (usage != null) {
      usage.close();
    }
    return Future.succeededFuture();
  }

  /** This instance's usage outbox (events not yet acknowledged by billing and audit). */
  public UsageOutbox usageOutbox() {
    UsageSink sink = usage;
    return sink == null ? null : sink.outbox();
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }

  private void requestId(RoutingContext ctx) {
    if (draining) {
      ctx.response().putHeader("connection", "close");
      ctx.fail(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
          "This gateway node is shutting down; retry and another node will take the request."));
      return;
    }
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
    ApiKey key = KeyAuth.authenticateSecret(index, formatOf(ctx).apiKey(ctx.request()),
        clientAddress.of(ctx.request()), Instant.now());
    ctx.put(CONFIG, index);
    ctx.put(KEY, key);
    ctx.next();
  }

  private void chat(RoutingContext ctx, InboundFormat format) {
    admit(ctx, format, format.parse(ctx.body().buffer()));
  }

  /** {@code POST /v1/embeddings}: OpenAI's shape, its errors, and the chat path's admission and settlement. */
  private void embeddings(RoutingContext ctx) {
    EmbeddingsRequest request = EmbeddingsFormat.parse(ctx.body().buffer());
    admit(ctx, OpenAiChatFormat.INSTANCE, Ask.of(request, id -> EmbeddingsFormat.answer(id, request)));
  }

  /** {@code POST /v1/rerank}: the Cohere/Jina shape, OpenAI's error envelope, the shared admission and settlement. */
  private void rerank(RoutingContext ctx) {
    RerankRequest request = RerankFormat.parse(ctx.body().buffer());
    admit(ctx, OpenAiChatFormat.INSTANCE, Ask.of(request, id -> RerankFormat.answer(id, request)));
  }

  /** {@code POST /v1/completions}: legacy text completions, streamed or whole, on the chat path's relay. */
  private void completions(RoutingContext ctx) {
    CompletionsFormat.Parsed parsed = CompletionsFormat.parse(ctx.body().buffer());
    admit(ctx, OpenAiChatFormat.INSTANCE, Ask.of(parsed.request(), id -> CompletionsFormat.answer(id, parsed)));
  }

  /** A parsed chat request, in any format, from here on: model, scope, admission, routing, streaming. */
  private void admit(RoutingContext ctx, InboundFormat format, ChatRequest chat) {
    admit(ctx, format, Ask.chat(chat, format));
  }

  /** Any parsed request (chat or another operation) from here on; {@code format} writes its errors. */
  private void admit(RoutingContext ctx, InboundFormat format, Ask ask) {
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    ctx.put(ASKED, ask.model());
    ModelConfig model = modelFor(index, key, ask.model());
    String requestId = ctx.get(REQUEST_ID);
    Tenant tenant = index.tenant(key.tenantId());
    Future<TrafficGate.Ticket> admitted = ask.chat() != null
        ? gate.enter(requestId, key, tenant, ask.chat(), model, ctx.response())
        : gate.enter(requestId, key, tenant, ask.payload(), model, ctx.response());
    admitted.onComplete(ar -> onThisLoop(() -> {
      if (ar.failed()) {
        ctx.fail(TrafficGate.unavailable(ar.cause()));
      } else if (ctx.response().closed()) {
        gate.leave(ar.result(), false, null, null, model);
        usage.refused(ctx.get(ARRIVAL), key, ask.model(), model, ErrorCode.CANCELLED);
      } else {
        startExchange(ctx, format, requestId, key, ask, model, ar.result());
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

  private void startExchange(RoutingContext ctx, InboundFormat format, String requestId, ApiKey key, Ask ask,
                             ModelConfig model, TrafficGate.Ticket ticket) {
    ctx.put(EXCHANGED, Boolean.TRUE);
    UsageEvents.Arrival arrival = ctx.get(ARRIVAL);
    Exchange x = new Exchange(requestId, format, ask.answers().apply(requestId), ask.stream(),
        new HttpClientChannel(ctx), model, cancels(model), System::nanoTime,
        options.idleMarginMs(), done -> {
          demux.remove(done);
          gate.leave(ticket, done.upstreamRan(), done.endDeploymentId(), done.endUsage(), model);
          usage.finished(arrival, key, model, done);
        });
    // The client has its 504 while the exchange waits to settle: its concurrency slots are free again.
    x.onLinger(() -> gate.releaseSlots(ticket));
    demux.add(x);
    ctx.response().closeHandler(v -> x.clientClosed());
    long budgetMs = model.routeBudgetMs();
    RouteRequest route = ask.route(requestId, streamAddress, key, budgetMs);
    // The router answers within the budget; the margin is for the hops there and back.
    vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE, route,
            new DeliveryOptions().setSendTimeout(budgetMs + options.routeMarginMs()))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            RouteResult result = ar.result().body();
            if (result.ok()) {
              overhead(ctx, arrival, result.upstreamMillis() * 1_000_000L);
            }
            x.routed(result);
          } else {
            boolean noAnswer = ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT;
            x.routeFailed(noAnswer
                ? new GatewayException(ErrorCode.GATEWAY_TIMEOUT, "No deployment started answering within the "
                    + "route budget of " + budgetMs + " ms.")
                : GatewayException.from(ar.cause()), noAnswer);
          }
        });
  }

  /**
   * Anthropic's {@code count_tokens}: the gateway's own estimate of the prompt (messages, system
   * and tool schemas), whatever the model's upstream; no admission, nothing is sent upstream.
   * Asking an Anthropic upstream for its exact count is a possible later step.
   */
  private void countTokens(RoutingContext ctx) {
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    ChatRequest chat = AnthropicFormat.INSTANCE.parseCount(ctx.body().buffer());
    modelFor(index, key, chat.model());
    ctx.response().putHeader("content-type", "application/json")
        .end(AnthropicFormat.INSTANCE.tokenCount(chat.estimatedPromptTokens()));
  }

  /** The model a request names, if it exists and the key may use it. */
  private static ModelConfig modelFor(ConfigIndex index, ApiKey key, String name) {
    ModelConfig model = index.model(name);
    if (model == null) {
      throw new GatewayException(ErrorCode.MODEL_NOT_FOUND,
          "The model '" + name + "' does not exist or you do not have access to it.", "model");
    }
    KeyAuth.checkScope(key, model.name(), name);
    return model;
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

  /** The one place that turns a failure into an HTTP answer: the error envelope of the request's format. */
  private void failure(RoutingContext ctx) {
    GatewayException e = toGatewayException(ctx);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("request failed request_id={}", (Object) ctx.get(REQUEST_ID), ctx.failure());
    }
    if (ctx.get(EXCHANGED) == null && ctx.request().method() == HttpMethod.POST
        && CHAT_PATHS.contains(ctx.request().path())) {
      ConfigIndex index = ctx.get(CONFIG);
      String asked = ctx.get(ASKED);
      ModelConfig known = index == null || asked == null ? null : index.model(asked);
      onThisLoop(() -> usage.refused(ctx.get(ARRIVAL), ctx.get(KEY), asked, known, e.code()));
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
    overhead(ctx, ctx.get(ARRIVAL), 0);
    InboundFormat format = formatOf(ctx);
    response.setStatusCode(format.status(e)).putHeader("content-type", "application/json")
        .end(format.errorBody(e, attempts));
  }

  /**
   * {@code x-tollgate-overhead-ms} and {@code tollgate_overhead_seconds}: the time from the
   * request's arrival until its answer starts, less the upstream's own time to its status line
   * (as the connector measured it). Said once per answer, on its head.
   */
  private void overhead(RoutingContext ctx, UsageEvents.Arrival arrival, long upstreamNanos) {
    if (arrival == null || ctx.response().headWritten() || ctx.response().headers().contains(OVERHEAD_HEADER)) {
      return;
    }
    long nanos = Math.max(0, System.nanoTime() - arrival.nanos() - upstreamNanos);
    ctx.response().putHeader(OVERHEAD_HEADER, millis(nanos));
    // A route label only for the endpoints the gateway serves: client paths would make any number of series.
    String path = ctx.request().path();
    metrics.overhead(CHAT_PATHS.contains(path) ? path : "other", nanos);
  }

  /** Milliseconds with three decimals ("0.214"), without String.format's cost on every answer. */
  static String millis(long nanos) {
    long micros = nanos / 1_000;
    long frac = micros % 1_000;
    return (micros / 1_000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
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
