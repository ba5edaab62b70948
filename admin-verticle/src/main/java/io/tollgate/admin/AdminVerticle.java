package io.tollgate.admin;

import io.tollgate.admin.http.AdminRouter;
import io.tollgate.api.config.EgressPolicy;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.admin.store.AdminAudit;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.SecretRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin role: owns the config database (migrates it at start, optionally imports a config
 * file), serves the admin REST API on its own port, and answers the config feed of every node
 * ({@link ConfigAddresses#SNAPSHOT}, {@link ConfigAddresses#VERSION}) and connectors' requests for
 * stored upstream keys ({@link ConfigAddresses#SECRET}); changes are published on
 * {@link ConfigAddresses#EVENTS} by the {@link ConfigStore}.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  private final AdminOptions options;
  private ConfigStore store;
  private HttpServer server;

  public AdminVerticle(AdminOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    if (options.getToken() == null || options.getToken().isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("the admin API needs a token (TOLLGATE_ADMIN_TOKEN)"));
    }
    if (options.getPostgresUri() == null) {
      return Future.failedFuture(new IllegalArgumentException("the admin role needs a postgresql:// URI"));
    }
    SecretBox box;
    try {
      box = options.getSecretsKey() == null ? null : SecretBox.fromBase64(options.getSecretsKey());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    store = new ConfigStore(vertx, ConfigStore.pool(vertx, options.getPostgresUri(), options.getPoolSize()), box);
    return store.migrate()
        .compose(n -> store.sealStoredLiterals().recover(e -> Future.failedFuture(startRefused(e)))
            .onSuccess(sealed -> {
              if (sealed > 0) {
                LOG.info("{} stored models had literal upstream keys: now encrypted", sealed);
              }
            }))
        .compose(n -> options.getSeedConfig() == null ? Future.succeededFuture()
            : store.importConfig(options.getSeedConfig(), AdminAudit.STARTUP)
                .recover(e -> Future.failedFuture(startRefused(e)))
                .onSuccess(r -> LOG.info("config file imported: {} models and {} keys changed, version {}",
                    r.modelsChanged(), r.keysChanged(), r.version())))
        .compose(v -> vertx.fileSystem().readFile(AdminRouter.OPENAPI_RESOURCE))
        .compose(openApi -> {
          MessageConsumer<Object> snapshot = vertx.eventBus().consumer(ConfigAddresses.SNAPSHOT,
              m -> answer(m, store.snapshot()));
          MessageConsumer<Object> version = vertx.eventBus().consumer(ConfigAddresses.VERSION,
              m -> answer(m, store.version()));
          MessageConsumer<SecretRequest> secret = vertx.eventBus().consumer(ConfigAddresses.SECRET,
              m -> answerSecret(m));
          Future<HttpServer> listen = vertx.createHttpServer()
              .requestHandler(AdminRouter.create(vertx, store, options.getToken(), options.getMaxBodyBytes(), openApi,
                  options.getSeedConfig() == null ? EgressPolicy.DEFAULTS : options.getSeedConfig().egress(),
                  options.getGatewayUrl()))
              .listen(options.getPort(), options.getHost())
              .onSuccess(s -> {
                server = s;
                LOG.info("admin API listening on {}:{}", options.getHost(), s.actualPort());
              });
          Future<?> channel = new ChannelBus(vertx, store.channels()).register();
          return Future.all(List.of(snapshot.completion(), version.completion(), secret.completion(), channel,
              listen));
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }

  /** The port the API listens on (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The config database, for the launcher's readiness check ({@link ConfigStore#ping()}). */
  public ConfigStore store() {
    return store;
  }

  /** A config problem at start (a literal key without TOLLGATE_SECRETS_KEY) as a plain message. */
  private static Throwable startRefused(Throwable e) {
    return e instanceof GatewayException g ? new IllegalArgumentException("config refused: " + g.getMessage()) : e;
  }

  private void answerSecret(Message<SecretRequest> message) {
    store.secret(message.body().deploymentId()).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof GatewayException g) {
        message.fail(g.code().wire(), g.getMessage());
      } else {
        // Never the cause's text verbatim into a reply: a decryption failure names no value, but stay generic.
        LOG.warn("stored credential of deployment {} unavailable: {}", message.body().deploymentId(),
            ar.cause().getMessage());
        message.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), "stored credential unavailable on the admin node");
      }
    });
  }

  private static <T> void answer(Message<Object> message, Future<T> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        message.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), "config database unavailable: " + ar.cause().getMessage());
      }
    });
  }
}
