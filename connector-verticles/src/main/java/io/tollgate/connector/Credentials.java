package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.CredentialRef;
import io.tollgate.api.config.SecretReply;
import io.tollgate.api.config.SecretRequest;
import io.tollgate.connector.oauth.TokenCache;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Resolves a deployment's {@code api_key} ({@link CredentialRef}) on this connector node, shared by
 * all its connector instances: {@code ${VAR}} from the environment, {@code file:/path} read off the
 * event loop and cached for {@link ConnectorOptions#getFileTtlMs()}, {@code secret:<id>} asked from an
 * admin node and cached until a change of that model is published (or {@link
 * ConnectorOptions#getSecretTtlMs()} passes, in case an event was missed). Resolved secrets live only
 * in this node's memory and never appear in a log line or an error message.
 */
public final class Credentials {

  private final Vertx vertx;
  private final Function<String, String> environment;
  private final long fileTtlMs;
  private final long secretTtlMs;
  private final DeliveryOptions delivery;
  private final LongSupplier clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final TokenCache tokens;
  private MessageConsumer<ConfigEvent> invalidation;

  private record Entry(Future<String> value, long expiresAt) {
  }

  public Credentials(Vertx vertx, ConnectorOptions options) {
    this(vertx, options, System::currentTimeMillis);
  }

  /** With another clock (tests move it to expire cached files and tokens). */
  public Credentials(Vertx vertx, ConnectorOptions options, LongSupplier clock) {
    this.vertx = vertx;
    this.environment = options.getEnvironment();
    this.fileTtlMs = options.getFileTtlMs();
    this.secretTtlMs = options.getSecretTtlMs();
    this.delivery = new DeliveryOptions().setSendTimeout(options.getSecretTimeoutMs());
    this.clock = clock;
    this.tokens = new TokenCache(vertx, clock);
  }

  /** The node's OAuth2 access tokens (Vertex AI, Entra ID), derived from resolved credentials. */
  public TokenCache tokens() {
    return tokens;
  }

  /** Starts dropping cached stored secrets when the config changes; completes once subscribed. */
  public Future<Void> start() {
    invalidation = vertx.eventBus().consumer(ConfigAddresses.EVENTS, m -> {
      // Any model change may carry a new stored secret; they are few, so the cache is cleared.
      if (m.body().kind() == ConfigEvent.Kind.MODEL) {
        cache.keySet().removeIf(k -> k.startsWith(CredentialRef.SECRET_PREFIX));
      }
    });
    return invalidation.completion();
  }

  public Future<Void> close() {
    return invalidation == null ? Future.succeededFuture() : invalidation.unregister();
  }

  /**
   * The credential to send upstream, null when none is configured. Completes on the caller's
   * context; fails with UPSTREAM_AUTH when the reference cannot be resolved here.
   */
  public Future<String> resolve(String apiKey) {
    CredentialRef ref;
    try {
      ref = CredentialRef.parse(apiKey);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH, "bad credential reference: "
          + e.getMessage()));
    }
    if (ref == null) {
      return Future.succeededFuture(null);
    }
    return switch (ref.kind()) {
      case LITERAL -> Future.succeededFuture(ref.value());
      case ENV -> env(ref.value());
      case FILE -> cached(ref.toString(), fileTtlMs, () -> file(ref.value()));
      case SECRET -> cached(ref.toString(), secretTtlMs, () -> stored(ref.value()));
    };
  }

  private Future<String> env(String variable) {
    String value = environment.apply(variable);
    if (value == null || value.isBlank()) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH,
          "credential " + variable + " is not set on this connector node"));
    }
    return Future.succeededFuture(value.trim());
  }

  private Future<String> file(String path) {
    return vertx.fileSystem().readFile(path).transform(ar -> {
      String value = ar.succeeded() ? ar.result().toString().trim() : null;
      if (value == null || value.isEmpty()) {
        return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH, "credential file " + path
            + (ar.succeeded() ? " is empty" : " cannot be read") + " on this connector node"));
      }
      return Future.succeededFuture(value);
    });
  }

  private Future<String> stored(String deploymentId) {
    return vertx.eventBus().<SecretReply>request(ConfigAddresses.SECRET, new SecretRequest(deploymentId), delivery)
        .transform(ar -> {
          if (ar.succeeded()) {
            return Future.succeededFuture(ar.result().body().secret());
          }
          String why = ar.cause() instanceof ReplyException r ? r.getMessage() : String.valueOf(ar.cause());
          return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH,
              "stored credential of deployment " + deploymentId + " is unavailable: " + why));
        });
  }

  /**
   * One lookup per key at a time; a failure is not cached, so the next call tries again. The result
   * is handed back on the caller's context: the lookup may have completed on another instance's loop.
   */
  private Future<String> cached(String key, long ttlMs, java.util.function.Supplier<Future<String>> load) {
    long now = clock.getAsLong();
    Entry entry = cache.compute(key, (k, e) -> e != null && e.expiresAt() > now
        && !(e.value().isComplete() && e.value().failed()) ? e : new Entry(load.get(), now + ttlMs));
    Future<String> value = entry.value();
    if (value.isComplete()) {
      return value;
    }
    Context context = vertx.getOrCreateContext();
    Promise<String> promise = Promise.promise();
    value.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }
}
