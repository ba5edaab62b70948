package io.tollgate.connector;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.local.LocalMessage;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.keys.Concurrency;
import io.tollgate.traffic.ConcurrencyLimitException;
import io.tollgate.traffic.ConcurrencyLimiter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls upstream model providers and streams their chunks to the edge. Each instance registers
 * one control address (cancels) under its own random id, plus a call and a ping consumer for each
 * provider it hosts; its calls in flight live in a map touched only from its own event loop.
 */
public class ConnectorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectorVerticle.class);

  private final ConnectorOptions options;
  private final String instanceId = UUID.randomUUID().toString();
  private final String controlAddress = Addresses.connectorControl(instanceId);
  /** How often a draining connector looks whether its last call ended. */
  private static final long DRAIN_CHECK_MS = 50;
  private final List<MessageConsumer<UpstreamCall>> callConsumers = new ArrayList<>();
  private UpstreamMetrics metrics;
  private final CallTable calls = new CallTable(System::nanoTime, CallTable.DEFAULT_TOMBSTONE_MS,
      CallTable.DEFAULT_MAX_TOMBSTONES);
  private HttpClient http;
  private HttpClient tls;
  private ConcurrencyLimiter slots;
  private Credentials credentials;
  private boolean ownCredentials;
  private ChunkHop chunks;
  private EgressVerdicts egress;
  /** The local path's edge on this instance's context (null: none, every chunk goes over the event bus). */
  private String localEdgeAddress;
  private Handler<Message<StreamChunk>> localEdge;
  private final Map<String, Provider> providers = new HashMap<>();

  /**
   * @param slots       the node's deployment concurrency limiter, shared by all instances so that a
   *                    deployment's {@code concurrency} bounds the whole node; null: one per instance
   * @param credentials the node's started credential resolver, shared so that files and stored
   *                    secrets are fetched once per node; null: one per instance
   */
  public ConnectorVerticle(ConnectorOptions options, ConcurrencyLimiter slots, Credentials credentials) {
    this.options = options;
    this.slots = slots;
    this.credentials = credentials;
  }

  public ConnectorVerticle(ConnectorOptions options, ConcurrencyLimiter slots) {
    this(options, slots, null);
  }

  public ConnectorVerticle(ConnectorOptions options) {
    this(options, null);
  }

  public ConnectorVerticle() {
    this(new ConnectorOptions());
  }

  /** The random id of this instance; its control address is {@code Addresses.connectorControl(id)}. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Starts this instance on an edge's context (the local path): chunks for {@code streamAddress} go
   * to {@code edge} as local messages; before start.
   */
  public ConnectorVerticle withLocalEdge(String streamAddress, Handler<Message<StreamChunk>> edge) {
    this.localEdgeAddress = streamAddress;
    this.localEdge = edge;
    return this;
  }

  /** Whether this instance calls {@code provider}'s upstreams. */
  public boolean serves(String provider) {
    return providers.containsKey(provider);
  }

  /**
   * Takes {@code call} as if it had come over the event bus, without it (the local path). Call it on
   * this instance's context, for a provider it {@link #serves}.
   */
  public Future<Message<CallStarted>> callHere(String provider, UpstreamCall call, long timeoutMs) {
    Provider target = providers.get(provider);
    return LocalMessage.request(context, Addresses.connectorCall(provider), call, timeoutMs,
        message -> onCall(target, message));
  }

  @Override
  public Future<?> start() {
    metrics = new UpstreamMetrics(options.getMeterRegistry());
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(options.getHttpPoolSize())
        .setHttp2MaxSize(options.getHttp2PoolSize()).setMaxWaitQueueSize(options.getHttpPoolQueue());
    http = vertx.createHttpClient(
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setForceSni(true),
        pool);
    HttpClientOptions tlsOptions = new HttpClientOptions().setKeepAlive(true).setForceSni(true)
        .setTrustOptions(options.getUpstreamTrust());
    if (options.isHttp2()) {
      tlsOptions.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      tlsOptions.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    tls = vertx.createHttpClient(tlsOptions, pool);
    if (slots == null) {
      slots = ConcurrencyLimiter.create(vertx);
    }
    EventBus bus = vertx.eventBus();
    chunks = localEdge == null ? ChunkHop.bus(bus)
        : ChunkHop.local(context, localEdgeAddress, localEdge, ChunkHop.bus(bus));
    List<Future<Void>> registrations = new ArrayList<>();
    if (credentials == null) {
      credentials = new Credentials(vertx, options);
      ownCredentials = true;
      registrations.add(credentials.start());
    }
    egress = new EgressVerdicts(options.getEgress());
    ProviderContext providerContext = new ProviderContext(vertx, http, tls, options, credentials, egress);
    registrations.add(bus.<Cancel>consumer(controlAddress, this::onCancel).completion());
    for (String name : options.getProviders()) {
      Provider provider = Providers.create(name, providerContext);
      providers.put(name, provider);
      MessageConsumer<UpstreamCall> calls = bus.consumer(Addresses.connectorCall(name),
          message -> onCall(provider, message));
      callConsumers.add(calls);
      registrations.add(calls.completion());
      registrations.add(bus.<Cancel>consumer(Addresses.connectorCancel(name), this::onPublishedCancel).completion());
      registrations.add(bus.consumer(Addresses.connectorPing(name), message -> message.reply(null)).completion());
    }
    return Future.all(registrations)
        .onSuccess(v -> LOG.info("connector {} serving {}", instanceId, options.getProviders()));
  }

  /**
   * Stops taking new calls (the call consumers are unregistered, so routers send to other
   * connectors) and completes once every call in flight here has ended; cancels and pings are
   * still served meanwhile. Runs on this verticle's context.
   */
  public Future<Void> drain() {
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Void>> unregistered = new ArrayList<>();
      callConsumers.forEach(c -> unregistered.add(c.unregister()));
      callConsumers.clear();
      Future.all(unregistered).onComplete(ar -> whenIdle(drained));
    });
    return drained.future();
  }

  private void whenIdle(Promise<Void> drained) {
    if (calls.size() == 0) {
      drained.tryComplete();
    } else {
      vertx.setTimer(DRAIN_CHECK_MS, id -> whenIdle(drained));
    }
  }

  @Override
  public Future<?> stop() {
    // End open streams properly so edges and billing still see an END and an outcome.
    calls.all().forEach(ActiveCall::shutdown);
    Future<Void> closed = Future.all(http == null ? Future.succeededFuture() : http.close(),
        tls == null ? Future.succeededFuture() : tls.close()).mapEmpty();
    return ownCredentials ? closed.eventually(credentials::close) : closed;
  }

  private void onCall(Provider provider, Message<UpstreamCall> message) {
    UpstreamCall call = message.body();
    metrics.hops().received(io.tollgate.api.trace.HopTimers.Hop.CALL, call.sentAtNanos());
    if (calls.contains(call.requestId(), call.attempt())) {
      message.fail(ErrorCode.INVALID_REQUEST.wire(), "request " + call.requestId() + " attempt " + call.attempt()
          + " is already in flight here");
      return;
    }
    if (calls.cancelledEarly(call.requestId(), call.attempt())) {
      message.fail(ErrorCode.CANCELLED.wire(), "attempt " + call.attempt() + " was cancelled before it started");
      return;
    }
    String refused = egress.refusal(call.deployment().baseUrl());
    if (refused != null) {
      LOG.warn("request_id={} deployment={}: base_url {}", call.requestId(), call.deployment().id(), refused);
      GatewayException failure = EgressGuard.refused(call.deployment().id());
      message.fail(failure.code().wire(), failure.getMessage());
      return;
    }
    Concurrency bounds = call.deployment().concurrency();
    if (bounds == null || !bounds.limited()) {
      begin(provider, message, null);
      return;
    }
    // Waiting for a slot happens before the call's timers start; a full queue or a wait past
    // max_wait_ms is "this deployment is at capacity", which the router may fail over from.
    slots.acquire("deployment:" + call.deployment().id(), call.tenantId() == null ? "" : call.tenantId(), bounds)
        .onSuccess(permit -> begin(provider, message, permit))
        .onFailure(err -> message.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), "deployment " + call.deployment().id()
            + (err instanceof ConcurrencyLimitException c && c.reason() == ConcurrencyLimitException.Reason.TIMEOUT
                ? " is at capacity: no slot within " + bounds.maxWaitMs() + " ms"
                : " is at capacity: " + bounds.maxConcurrent() + " running and " + bounds.maxQueue() + " queued")));
  }

  private void begin(Provider provider, Message<UpstreamCall> message, ConcurrencyLimiter.Permit permit) {
    UpstreamCall call = message.body();
    if (calls.cancelledEarly(call.requestId(), call.attempt())) {
      // Cancelled while it waited for a slot.
      if (permit != null) {
        permit.release();
      }
      message.fail(ErrorCode.CANCELLED.wire(), "attempt " + call.attempt() + " was cancelled before it started");
      return;
    }
    ActiveCall active = new ActiveCall(vertx, options, message, controlAddress, chunks, done -> {
      calls.remove(done);
      metrics.record(done.outcome());
      if (permit != null) {
        permit.release();
      }
    });
    calls.add(active);
    active.begin(provider);
  }

  /** A cancel for a call this instance holds (the edge knows where it streams from). */
  private void onCancel(Message<Cancel> message) {
    cancelMatching(message.body());
    if (message.replyAddress() != null) {
      message.reply(null);
    }
  }

  /** A cancel published to every connector of a provider: the sender did not know who holds the call. */
  private void onPublishedCancel(Message<Cancel> message) {
    Cancel cancel = message.body();
    cancelMatching(cancel);
    calls.tombstone(cancel);
  }

  private void cancelMatching(Cancel cancel) {
    String reason = cancel.reason() == null ? "cancelled" : cancel.reason();
    for (ActiveCall active : calls.matching(cancel)) {
      active.cancel(reason);
    }
  }
}
