package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.StoredKey;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.channel.KeyFreeze;
import io.tollgate.api.channel.KeyFrozen;
import io.tollgate.api.channel.SigningSecretReply;
import io.tollgate.api.keys.Secrets;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;

/**
 * The external channel's side of the config database: sealed signing secrets, and freezing and
 * unfreezing keys. Signing secrets leave only decrypted for an edge's request
 * ({@link #signingSecret}), never in snapshots, config events or API reads.
 */
public final class ChannelStore {

  private final ConfigStore config;
  private final Pool pool;
  private final SecretBox box;

  ChannelStore(ConfigStore config, Pool pool, SecretBox box) {
    this.config = config;
    this.pool = pool;
    this.box = box;
  }

  /** A fresh signing secret sealed for {@code keyId} in {@code tx}; the plain value for the one answer. */
  Future<String> issue(Tx tx, String keyId) {
    if (box == null) {
      return Future.failedFuture(AdminErrors.badRequest("external keys need TOLLGATE_SECRETS_KEY on the admin "
          + "node: their signing secret is stored encrypted", "channel"));
    }
    String signing = Secrets.generateSigning();
    return SigningSecretStore.put(tx, box, keyId, signing).map(signing);
  }

  /** The decrypted signing secret of an external key that is not frozen, for an edge. */
  public Future<SigningSecretReply> signingSecret(String keyId) {
    if (box == null) {
      return Future.failedFuture(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
          "this admin node has no TOLLGATE_SECRETS_KEY to decrypt signing secrets"));
    }
    return pool.withTransaction(conn -> KeyStore.find(conn, keyId, false)
        .compose(stored -> SigningSecretStore.find(conn, keyId).map(sealed -> {
          if (sealed == null || !stored.key().external()) {
            throw new GatewayException(ErrorCode.INVALID_API_KEY, "no signing secret for key " + keyId);
          }
          return new SigningSecretReply(keyId, box.open(sealed, SigningSecretStore.aad(keyId)),
              stored.key().version());
        })));
  }

  /**
   * Freezes the key unless an unfreeze came after the failures were counted (their key version is
   * older than the key's) or it is frozen already; completes with the event to publish, or null when
   * nothing changed.
   */
  public Future<KeyFrozen> freeze(KeyFreeze request) {
    Instant now = Instant.now();
    return config.write(AdminAudit.GATEWAY, tx -> KeyStore.find(tx.conn(), request.keyId(), true).compose(current -> {
      if (current.key().frozen() || current.key().version() > request.keyVersion()) {
        return Future.succeededFuture(null);
      }
      return KeyStore.setFrozen(tx, current, now).map(k -> tx.audited(new KeyFrozen(k.key().id(),
              k.key().tenantId(), request.failures(), request.clientIp(), now, k.key().version()), "key.freeze", "key",
          k.key().id(), k.key().tenantId(), java.util.Map.of("frozen", false), java.util.Map.of("frozen", true,
              "failures", request.failures(), "client_ip", String.valueOf(request.clientIp()))));
    }));
  }

  /** Unfreezes the key (a new version: failures counted before it no longer count). */
  public Future<StoredKey> unfreeze(String keyId) {
    return config.write(tx -> KeyStore.find(tx.conn(), keyId, true)
        .compose(current -> current.key().frozen() ? KeyStore.setFrozen(tx, current, null)
            .map(k -> tx.audited(k, "key.unfreeze", "key", keyId, k.key().tenantId(), java.util.Map.of("frozen", true),
                java.util.Map.of("frozen", false)))
            : Future.succeededFuture(current)));
  }
}
