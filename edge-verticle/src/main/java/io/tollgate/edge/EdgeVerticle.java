package io.tollgate.edge;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.local.LocalPath;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.edge.cache.CachedAnswer;
import io.tollgate.edge.cache.EmbeddingCache;
import io.tollgate.edge.cache.EmbeddingsCaching;
import io.tollgate.edge.cache.EdgeCaches;
import io.tollgate.edge.cache.ResponseCache;
import io.tollgate.edge.batch.BatchLink;
import io.tollgate.edge.batch.BatchRoutes;
import io.tollgate.edge.batch.BatchStore;
import io.tollgate.edge.channel.ChannelGate;
import io.tollgate.edge.channel.ExternalAnswers;
import io.tollgate.edge.channel.ExternalChannel;
import io.tollgate.api.trace.HopClock;
import io.tollgate.api.trace.Tracing;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.edge.metrics.EdgeMetrics;
import io.tollgate.edge.trace.EdgeTracing;
import io.tollgate.edge.usage.OutboxOptions;
import io.tollgate.edge.usage.UsageOutbox;
import io.tollgate.edge.format.AnswerWriter;
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
import io.vertx.core.eventbus.Message;
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
  /** The endpoints whose every request is a usage event (answered, refused or failed). */
  static final Set<String> CHAT_PATHS = Set.of("/v1/chat/completions", "/v1/messages", "/v1/responses",
      EmbeddingsFormat.PATH, RerankFormat.PATH, CompletionsFormat.PATH);
  private static final long WATCHDOG_PERIOD_MS = 1_000;
  /** How often a draining edge looks whether its last exchange ended. */
  private static final long DRAIN_CHECK_MS = 50;
  private static final String UPLOADS = System.getProperty("java.io.tmpdir") + "/tollgate-uploads";

  private final EdgeOptions options;
  private final Supplier<ConfigIndex> config;
  private final String instanceId = UUID.randomUUID().toString();
  private final String streamAddress = Addresses.edgeStream(instanceId);
  private final StreamDemux demux;
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
  private final EdgeCaches caches;
  private final EdgeTracing traces;
  /** Set on start; read by the node's gauge and drain from other threads. */
  private volatile UsageSink usage;
  /** The node's external channel; null: external keys are refused (503) on this node. */
  private ExternalChannel channel;
  private LocalPath localPath;
  /** Set in start when {@link #localPath} is; confined to this instance's context. */
  private LocalPath.Route localRoute;
  /** Files and batches in this node's PostgreSQL (null: none), and the node's own batch worker's token. */
  private BatchStore batches;
  private BatchLink batchLink;

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate) {
    this(options, config, gate, ResponseStore.NONE, OutboxOptions.DEFAULTS, EdgeMetrics.NONE);
  }

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      ResponseStore responseStore, OutboxOptions outboxOptions, EdgeMetrics metrics) {
    this(options, config, gate, responseStore, outboxOptions, metrics, EdgeCaches.NONE, Tracing.OFF);
  }

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      ResponseStore responseStore, OutboxOptions outboxOptions, EdgeMetrics metrics,
                      EdgeCaches caches) {
    this(options, config, gate, responseStore, outboxOptions, metrics, caches, Tracing.OFF);
  }

  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      ResponseStore responseStore, OutboxOptions outboxOptions, EdgeMetrics metrics, Tracing tracing) {
    this(options, config, gate, responseStore, outboxOptions, metrics, EdgeCaches.NONE, tracing);
  }

  /**
   * @param responseStore where Responses API answers are kept when the client asks ({@link ResponseStore#NONE}: nowhere)
   * @param outboxOptions how usage events travel to billing and audit
   * @param metrics       the node's edge metrics, shared by its edge instances
   * @param caches        the node's response and embedding caches ({@link EdgeCaches#NONE}: none)
   * @param tracing       the node's tracer ({@link Tracing#OFF}: none)
   */
  public EdgeVerticle(EdgeOptions options, Supplier<ConfigIndex> config, TrafficGate gate,
                      ResponseStore responseStore, OutboxOptions outboxOptions, EdgeMetrics metrics,
                      EdgeCaches caches, Tracing tracing) {
    this.caches = caches;
    this.options = options;
    this.config = config;
    this.gate = gate;
    this.responseStore = responseStore;
    this.outboxOptions = outboxOptions;
    this.metrics = metrics;
    this.traces = new EdgeTracing(tracing);
    this.demux = new StreamDemux(metrics.hops());
    this.clientAddress = new ClientAddress(options.trustedProxies(), options.forwardedHeader());
  }

  /** Serves external (signed) keys through {@code channel}; call before deployment. */
  public EdgeVerticle withChannel(ExternalChannel channel) {
    this.channel = channel;
    return this;
  }

  /**
   * Routes this instance's requests through a router and a connector started on its own context
   * (see {@link LocalPath}); call before deployment.
   */
  public EdgeVerticle withLocalPath(LocalPath path) {
    this.localPath = path;
    return this;
  }

  /** Serves /v1/files and /v1/batches from {@code store} and takes lines from the node's worker; before deployment. */
  public EdgeVerticle withBatches(BatchStore store, BatchLink link) {
    this.batches = store;
    this.batchLink = link;
    return this;
  }

  @Override
  public Future<?> start() {
    loop = Thread.currentThread();
    usage = new UsageSink(new UsageOutbox(vertx, outboxOptions), metrics);
    Router router = Router.router(vertx);
    router.route().handler(this::requestId);
    if (!options.consoleOrigins().isEmpty()) {
      // Before authentication: a browser's preflight carries no key.
      router.route("/v1/*").handler(new ConsoleCors(options.consoleOrigins())::handle);
    }
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
    ChannelGate signed = new ChannelGate(channel, options.maxBodyBytes(), c -> c.get(KEY), (c, k) -> c.put(KEY, k),
        c -> clientAddress.of(c.request()));
    router.route("/v1/*").handler(signed::readBody);
    router.route("/v1/*").handler(signed::verify);
    new BatchRoutes(batches, c -> c.get(KEY)).mount(router, UPLOADS);
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
    // The local path's router and connector are up before the server takes a request.
    Future<Void> local = localPath == null ? Future.succeededFuture()
        : localPath.open(vertx, context, streamAddress, demux::onChunk).map(r -> {
          localRoute = r;
          return null;
        });
    return Future.all(consumer.completion(), local).compose(v -> server.listen());
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
    return localRoute == null ? Future.succeededFuture() : localRoute.close();
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
    // A batch line runs under the same request id on every try: billing charges a request id once.
    boolean batchLine = batchLink != null && batchLink.accepts(ctx.request())
        && RequestIds.acceptable(ctx.request().getHeader(BatchLink.REQUEST_ID));
    String requestId = batchLine ? ctx.request().getHeader(BatchLink.REQUEST_ID) : ids.next();
    if (batchLine) {
      ctx.put(ChannelGate.TRUSTED, Boolean.TRUE);
    }
    String clientId = ctx.request().getHeader("x-request-id");
    ctx.put(REQUEST_ID, requestId);
    EdgeTracing.RequestTrace trace = traces.begin(ctx, requestId);
    ctx.put(ARRIVAL, new UsageEvents.Arrival(requestId, Instant.now(), System.nanoTime(),
        trace == null ? null : trace.traceId()));
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
    ApiKey key = ctx.get(ChannelGate.TRUSTED) != null
        ? KeyAuth.forBatch(index, ctx.request().getHeader(BatchLink.KEY_ID), Instant.now())
        : KeyAuth.authenticateSecret(index, formatOf(ctx).apiKey(ctx.request()), clientAddress.of(ctx.request()),
            Instant.now());
    ctx.put(CONFIG, index);
    ctx.put(KEY, key);
    ctx.next();
  }

  private void chat(RoutingContext ctx, InboundFormat format) {
    admit(ctx, format, format.parse(ctx.body().buffer()), true);
  }

  /**
   * {@code POST /v1/embeddings}: OpenAI's shape, its errors, and the chat path's admission and
   * settlement; through the embedding cache (on unless the model's cache block turns it off), so
   * only inputs not cached go upstream. {@code x-tollgate-cache} is {@code hit} when every input
   * was cached, else {@code miss}.
   */
  private void embeddings(RoutingContext ctx) {
    EmbeddingsRequest request = EmbeddingsFormat.parse(ctx.body().buffer());
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    ctx.put(ASKED, request.model());
    ModelConfig model = modelFor(index, key, request.model());
    EmbeddingCache cache = caches.embeddings();
    if (!cache.enabledFor(model)) {
      enter(ctx, OpenAiChatFormat.INSTANCE, Ask.of(request, id -> EmbeddingsFormat.answer(id, request)), model);
      return;
    }
    String tenantId = key.tenantId();
    String variant = EmbeddingsCaching.variant(request);
    List<String> items = EmbeddingsCaching.items(request);
    cache.lookup(tenantId, model, variant, items).onComplete(ar -> onThisLoop(() -> {
      EmbeddingCache.Lookup found = ar.succeeded() ? ar.result() : EmbeddingsCaching.nothing(items.size());
      ctx.response().putHeader(ResponseCache.HEADER, found.complete() ? ResponseCache.HIT : ResponseCache.MISS);
      if (found.complete()) {
        embeddingsFromCache(ctx, key, request, model, found);
        return;
      }
      List<Integer> misses = found.misses();
      EmbeddingsRequest upstream = EmbeddingsCaching.onlyMisses(request, misses);
      List<String> missed = EmbeddingsCaching.pick(items, misses);
      enter(ctx, OpenAiChatFormat.INSTANCE, Ask.of(upstream, id -> EmbeddingsCaching.merging(
          EmbeddingsFormat.answer(id, request), found,
          fetched -> cache.store(tenantId, model, variant, missed, fetched))), model);
    }));
  }

  /** Every input was cached: admitted for its rpm slot (no tokens, no cost), answered without routing. */
  private void embeddingsFromCache(RoutingContext ctx, ApiKey key, EmbeddingsRequest request, ModelConfig model,
                                   EmbeddingCache.Lookup found) {
    ConfigIndex index = ctx.get(CONFIG);
    String requestId = ctx.get(REQUEST_ID);
    UsageEvents.Arrival arrival = ctx.get(ARRIVAL);
    gate.enter(requestId, key, index.tenant(key.tenantId()), request, model, ctx.response(), true)
        .onComplete(ar -> onThisLoop(() -> {
          if (ar.failed()) {
            ctx.fail(TrafficGate.unavailable(ar.cause()));
            return;
          }
          gate.leave(ar.result(), true, null, Usage.ZERO, model);
          if (ctx.response().closed()) {
            usage.refused(arrival, key, request.model(), model, ErrorCode.CANCELLED);
            return;
          }
          ctx.put(EXCHANGED, Boolean.TRUE);
          AnswerWriter answer = EmbeddingsFormat.answer(requestId, request);
          answer.result(EmbeddingsCaching.fromCache(found));
          Overhead.put(ctx, arrival, 0, metrics);
          ctx.response().putHeader("content-type", "application/json").end(answer.whole(Usage.ZERO));
          usage.cacheHit(arrival, key, model);
        }));
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

  /** A parsed chat request from the Responses API (not cached: its answers are stored and chained by id). */
  private void admit(RoutingContext ctx, InboundFormat format, ChatRequest chat) {
    admit(ctx, format, chat, false);
  }

  /**
   * A parsed chat request, in any format, from here on: model, scope, the response cache if the
   * route has one and the model opts in, admission, routing, streaming.
   */
  private void admit(RoutingContext ctx, InboundFormat format, ChatRequest chat, boolean cacheRoute) {
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    ctx.put(ASKED, chat.model());
    ModelConfig model = modelFor(index, key, chat.model());
    ResponseCache cache = caches.responses();
    CacheConfig settings = cacheRoute ? cache.settings(model, key) : null;
    if (settings != null) {
      // Every answer of an opted-in model or key says whether it came from the cache; all but a hit are misses.
      ctx.response().putHeader(ResponseCache.HEADER, ResponseCache.MISS);
      if (cache.eligible(settings, chat)) {
        String tenantId = key.tenantId();
        cache.lookup(tenantId, chat).onComplete(ar -> onThisLoop(() -> {
          if (ar.succeeded() && ar.result() != null) {
            answerFromCache(ctx, format, key, chat, model, ar.result());
          } else {
            InboundFormat recording = ResponseCache.recording(format,
                answer -> cache.store(tenantId, chat, settings, answer));
            enter(ctx, recording, Ask.chat(chat, recording), model);
          }
        }));
        return;
      }
    }
    enter(ctx, format, Ask.chat(chat, format), model);
  }

  /** Any other parsed operation (embeddings ...) from here on; {@code format} writes its errors. */
  private void admit(RoutingContext ctx, InboundFormat format, Ask ask) {
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    ctx.put(ASKED, ask.model());
    enter(ctx, format, ask, modelFor(index, key, ask.model()));
  }

  /**
   * A hit: admitted like any request (its rpm slot and concurrency, so hits stay rate-limited) but
   * with no tokens or cost reserved, settled at zero, answered without routing, recorded as a hit.
   */
  private void answerFromCache(RoutingContext ctx, InboundFormat format, ApiKey key, ChatRequest chat,
                               ModelConfig model, CachedAnswer hit) {
    ConfigIndex index = ctx.get(CONFIG);
    String requestId = ctx.get(REQUEST_ID);
    UsageEvents.Arrival arrival = ctx.get(ARRIVAL);
    var admission = traces.admission(ctx);
    gate.enter(requestId, key, index.tenant(key.tenantId()), chat, model, ctx.response(), true)
        .onComplete(ar -> onThisLoop(() -> {
          EdgeTracing.admitted(admission, ar.cause());
          if (ar.failed()) {
            ctx.fail(TrafficGate.unavailable(ar.cause()));
            return;
          }
          gate.leave(ar.result(), true, null, Usage.ZERO, model);
          if (ctx.response().closed()) {
            usage.refused(arrival, key, chat.model(), model, ErrorCode.CANCELLED);
            return;
          }
          ctx.put(EXCHANGED, Boolean.TRUE);
          ctx.response().putHeader(ResponseCache.HEADER, ResponseCache.HIT);
          Overhead.put(ctx, arrival, 0, metrics);
          ctx.response().putHeader("content-type", "application/json")
              .end(ResponseCache.replay(format, requestId, chat, hit));
          usage.cacheHit(arrival, key, model);
        }));
  }

  /** Admission, then the exchange: routing, streaming, settlement. */
  private void enter(RoutingContext ctx, InboundFormat format, Ask ask, ModelConfig model) {
    ConfigIndex index = ctx.get(CONFIG);
    ApiKey key = ctx.get(KEY);
    String requestId = ctx.get(REQUEST_ID);
    Tenant tenant = index.tenant(key.tenantId());
    var admission = traces.admission(ctx);
    Future<TrafficGate.Ticket> admitted = ask.chat() != null
        ? gate.enter(requestId, key, tenant, ask.chat(), model, ctx.response())
        : gate.enter(requestId, key, tenant, ask.payload(), model, ctx.response());
    admitted.onComplete(ar -> onThisLoop(() -> {
      EdgeTracing.admitted(admission, ar.cause());
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
    EdgeTracing.RequestTrace trace = EdgeTracing.of(ctx);
    Exchange x = new Exchange(requestId, format, ask.answers().apply(requestId), ask.stream(),
        new HttpClientChannel(ctx), model, cancels(model), System::nanoTime,
        options.idleMarginMs(), done -> {
          metrics.answerEnded();
          demux.remove(done);
          gate.leave(ticket, done.upstreamRan(), done.endDeploymentId(), done.endUsage(), model);
          usage.finished(arrival, key, model, done);
          EdgeTracing.finished(trace, done.error(), done.endUsage());
        });
    if (ChannelGate.external(ctx)) {
      x.showErrorsAs(ExternalAnswers::shown);
    }
    // tollgate_inflight_streams: from here until the exchange has settled (the callback above, run once).
    metrics.answerStarted();
    // The client has its 504 while the exchange waits to settle: its concurrency slots are free again.
    x.onLinger(() -> gate.releaseSlots(ticket));
    ConfigIndex index = ctx.get(CONFIG);
    // Prompt text for an opted-in tenant's audit record: chat only (an embeddings input is not a conversation).
    if (ask.chat() != null) {
      x.record(Transcript.of(index == null ? null : index.tenant(key.tenantId()), ask.chat()));
    }
    demux.add(x);
    ctx.response().closeHandler(v -> x.clientClosed());
    long budgetMs = model.routeBudgetMs();
    RouteRequest route = ask.route(requestId, streamAddress, key, budgetMs)
        .withTrace(traces.routing(trace, ask.model()));
    // The router answers within the budget; the margin is for the hops there and back.
    long waitMs = budgetMs + options.routeMarginMs();
    Future<Message<RouteResult>> routed = localRoute != null ? localRoute.route(route, waitMs)
        : vertx.eventBus().request(Addresses.ROUTER_ROUTE, route, new DeliveryOptions().setSendTimeout(waitMs));
    routed.onComplete(ar -> {
      if (ar.succeeded()) {
        RouteResult result = ar.result().body();
        traces.routed(trace, result);
        if (result.ok()) {
          Overhead.put(ctx, arrival, result.upstreamMillis() * 1_000_000L, metrics);
        }
        x.routed(result);
      } else {
        boolean noAnswer = ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT;
        GatewayException e = noAnswer ? new GatewayException(ErrorCode.GATEWAY_TIMEOUT,
            "No deployment started answering within the route budget of " + budgetMs + " ms.")
            : GatewayException.from(ar.cause());
        EdgeTracing.routeFailed(trace, e.code());
        x.routeFailed(e, noAnswer);
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
    // External keys: no failover trace, generic text where the text is internal.
    boolean external = ChannelGate.external(ctx);
    List<Attempt> attempts = external ? null : ctx.get(HttpClientChannel.ATTEMPTS);
    if ((e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.SERVICE_UNAVAILABLE)
        && !response.headers().contains("retry-after")) {
      response.putHeader("retry-after", "1");
    }
    Overhead.put(ctx, ctx.get(ARRIVAL), 0, metrics);
    InboundFormat format = formatOf(ctx);
    response.setStatusCode(format.status(e)).putHeader("content-type", "application/json")
        .end(format.errorBody(external ? ExternalAnswers.shown(e) : e, attempts));
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
