package io.tollgate.admin;

import io.tollgate.admin.store.ChannelStore;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.channel.ChannelAddresses;
import io.tollgate.api.channel.KeyFreeze;
import io.tollgate.api.channel.KeyFrozen;
import io.tollgate.api.channel.SigningSecretRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin role's answers to edges about external keys: signing secrets
 * ({@link ChannelAddresses#SIGNING_SECRET}) and freezes ({@link ChannelAddresses#FREEZE}). A freeze
 * that commits is logged as an audit line and published on {@link ChannelAddresses#FROZEN}, the
 * hook point for webhooks.
 */
final class ChannelBus {

  /** The logger of audit-worthy channel events; its name lets operators route it apart. */
  private static final Logger AUDIT = LoggerFactory.getLogger("io.tollgate.audit.channel");
  private static final Logger LOG = LoggerFactory.getLogger(ChannelBus.class);

  private final Vertx vertx;
  private final ChannelStore store;

  ChannelBus(Vertx vertx, ChannelStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Registers both consumers; the future completes once both registrations have. */
  Future<?> register() {
    MessageConsumer<SigningSecretRequest> secrets = vertx.eventBus().consumer(ChannelAddresses.SIGNING_SECRET,
        this::signingSecret);
    MessageConsumer<KeyFreeze> freezes = vertx.eventBus().consumer(ChannelAddresses.FREEZE, this::freeze);
    return Future.all(secrets.completion(), freezes.completion());
  }

  private void signingSecret(Message<SigningSecretRequest> message) {
    store.signingSecret(message.body().keyId()).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        fail(message, ar.cause(), "signing secret of key " + message.body().keyId());
      }
    });
  }

  private void freeze(Message<KeyFreeze> message) {
    KeyFreeze request = message.body();
    store.freeze(request).onComplete(ar -> {
      if (ar.failed()) {
        fail(message, ar.cause(), "freeze of key " + request.keyId());
        return;
      }
      KeyFrozen frozen = ar.result();
      if (frozen != null) {
        AUDIT.warn("key frozen key_id={} tenant_id={} failures={} client_ip={} version={}", frozen.keyId(),
            frozen.tenantId(), frozen.failures(), frozen.clientIp(), frozen.version());
        vertx.eventBus().publish(ChannelAddresses.FROZEN, frozen);
      }
      message.reply(frozen != null);
    });
  }

  /** Never a cause's text verbatim into a reply (a decryption failure must stay generic). */
  private static void fail(Message<?> message, Throwable cause, String what) {
    if (cause instanceof GatewayException g) {
      message.fail(g.code().wire(), g.getMessage());
    } else {
      LOG.warn("{} unavailable: {}", what, cause.getClass().getSimpleName());
      message.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), what + " unavailable on the admin node");
    }
  }
}
