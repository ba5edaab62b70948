package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.KeyBody;
import io.tollgate.admin.model.StoredKey;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Channel;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Secrets;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL of the api_keys table. Secrets never reach it: only {@link Secrets#hash} and a short hint. */
final class KeyStore {

  private static final String COLUMNS = "id, tenant_id, name, secret_hash, secret_hint, models::text, enabled, "
      + "expires_at, ip_allow::text, limits::text, version, cache::text, channel, frozen_at IS NOT NULL";

  private KeyStore() {
  }

  static Future<List<StoredKey>> list(SqlClient client, String tenantId) {
    var query = tenantId == null
        ? client.preparedQuery("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id").execute()
        : client.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id")
            .execute(Tuple.of(tenantId));
    return query.map(rows -> {
      List<StoredKey> out = new ArrayList<>();
      rows.forEach(r -> out.add(key(r)));
      return out;
    });
  }

  static Future<StoredKey> find(SqlClient client, String id, boolean forUpdate) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw AdminErrors.notFound("key '" + id + "' does not exist");
          }
          return key(rows.iterator().next());
        });
  }

  /** Inserts a new key for {@code secret}; its tenant must exist (404 otherwise). */
  static Future<StoredKey> create(Tx tx, KeyBody body, String secret) {
    String id = "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    return TenantStore.find(tx.conn(), body.tenantId(), false)
        .compose(t -> tx.nextVersion())
        .compose(version -> {
          StoredKey stored = new StoredKey(body.toKey(id, Secrets.hash(secret), version), StoredKey.hintOf(secret));
          ApiKey k = stored.key();
          return tx.conn().preparedQuery("INSERT INTO api_keys (id, tenant_id, name, secret_hash, secret_hint, models, "
                  + "enabled, expires_at, ip_allow, limits, version, cache, channel) "
                  + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9::text::jsonb, $10::text::jsonb, $11, "
                  + "$12::text::jsonb, $13)")
              .execute(Tuple.from(new Object[] {k.id(), k.tenantId(), k.name(), k.secretHash(), stored.hint(),
                  Sql.json(k.models()), k.enabled(), Sql.time(k.expiresAt()), Sql.json(k.ipAllow()),
                  Sql.json(k.limits()), version, cacheJson(k), k.channel().wireName()}))
              .map(v -> emitted(tx, stored));
        });
  }

  /**
   * Replaces everything but the secret (and the tenant and channel, which a key never changes; and
   * whether it is frozen, which only freeze and unfreeze change).
   */
  static Future<StoredKey> update(Tx tx, StoredKey current, KeyBody body) {
    return tx.nextVersion().compose(version -> {
      ApiKey c = current.key();
      StoredKey stored = new StoredKey(new KeyBody(body.tenantId(), body.name(), body.models(), body.expiresAt(),
          body.ipAllow(), body.rpm(), body.tpm(), body.tokenQuota(), body.budgetUsd(), body.concurrency(),
          body.enabled(), body.cache(), c.channel()).toKey(c.id(), c.secretHash(), version, c.frozen()),
          current.hint());
      ApiKey k = stored.key();
      return tx.conn().preparedQuery("UPDATE api_keys SET name = $2, models = $3::text::jsonb, enabled = $4, "
              + "expires_at = $5, ip_allow = $6::text::jsonb, limits = $7::text::jsonb, version = $8, "
              + "cache = $9::text::jsonb, updated_at = now() WHERE id = $1")
          .execute(Tuple.from(new Object[] {k.id(), k.name(), Sql.json(k.models()), k.enabled(),
              Sql.time(k.expiresAt()), Sql.json(k.ipAllow()), Sql.json(k.limits()), version, cacheJson(k)}))
          .map(v -> emitted(tx, stored));
    });
  }

  /** Gives the key a new secret; the old one stops working as soon as nodes apply the event. */
  static Future<StoredKey> rotate(Tx tx, StoredKey current, String secret) {
    return tx.nextVersion().compose(version -> {
      ApiKey old = current.key();
      ApiKey k = new ApiKey(old.id(), old.tenantId(), old.name(), Secrets.hash(secret), old.models(), old.enabled(),
          old.expiresAt(), old.ipAllow(), old.limits(), version, old.cache(), old.channel(), old.frozen());
      StoredKey stored = new StoredKey(k, StoredKey.hintOf(secret));
      return tx.conn().preparedQuery("UPDATE api_keys SET secret_hash = $2, secret_hint = $3, version = $4, "
              + "updated_at = now() WHERE id = $1")
          .execute(Tuple.of(k.id(), k.secretHash(), stored.hint(), version))
          .map(v -> emitted(tx, stored));
    });
  }

  /** Freezes ({@code frozenAt} set) or unfreezes (null) the key: a new version every edge applies. */
  static Future<StoredKey> setFrozen(Tx tx, StoredKey current, java.time.Instant frozenAt) {
    return tx.nextVersion().compose(version -> {
      ApiKey o = current.key();
      ApiKey k = new ApiKey(o.id(), o.tenantId(), o.name(), o.secretHash(), o.models(), o.enabled(), o.expiresAt(),
          o.ipAllow(), o.limits(), version, o.cache(), o.channel(), frozenAt != null);
      StoredKey stored = new StoredKey(k, current.hint());
      return tx.conn().preparedQuery("UPDATE api_keys SET frozen_at = $2, version = $3, updated_at = now() "
              + "WHERE id = $1")
          .execute(Tuple.of(k.id(), Sql.time(frozenAt), version))
          .map(v -> emitted(tx, stored));
    });
  }

  static Future<Void> delete(Tx tx, String id) {
    return find(tx.conn(), id, true)
        .compose(k -> tx.nextVersion())
        .compose(version -> tx.conn().preparedQuery("DELETE FROM api_keys WHERE id = $1").execute(Tuple.of(id))
            .map(v -> {
              tx.emit(ConfigEvent.removed(version, ConfigEvent.Kind.KEY, id));
              return null;
            }));
  }

  /**
   * A bootstrap key of the config file, in the default tenant: created, or brought to the file's
   * secret, models and limits; untouched (no new version) when already as in the file. What the file
   * does not say (enabled, expiry, ip_allow) is kept, so a key disabled through the API stays so.
   */
  static Future<Boolean> upsertBootstrap(Tx tx, KeyConfig file) {
    String hash = Secrets.hash(file.secret());
    return TenantStore.ensureDefault(tx)
        .compose(v -> tx.conn().preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = $1 AND name = $2 "
            + "FOR UPDATE").execute(Tuple.of(TenantStore.DEFAULT_ID, file.name())))
        .compose(rows -> {
          if (rows.size() == 0) {
            return create(tx, KeyBody.bootstrap(TenantStore.DEFAULT_ID, file, null), file.secret()).map(true);
          }
          StoredKey current = key(rows.iterator().next());
          KeyBody wanted = KeyBody.bootstrap(TenantStore.DEFAULT_ID, file, current.key());
          ApiKey c = current.key();
          boolean same = wanted.toKey(c.id(), c.secretHash(), c.version(), c.frozen()).equals(c);
          Future<StoredKey> updated = same ? Future.succeededFuture(current) : update(tx, current, wanted);
          return updated.compose(k -> k.key().secretHash().equals(hash) ? Future.succeededFuture(k != current)
              : rotate(tx, k, file.secret()).map(true));
        });
  }

  /** The key's cache block as JSON, or SQL NULL when it has none. */
  private static String cacheJson(ApiKey k) {
    return k.cache() == null ? null : Sql.json(k.cache());
  }

  private static StoredKey emitted(Tx tx, StoredKey stored) {
    tx.emit(ConfigEvent.key(stored.key().version(), stored.key()));
    return stored;
  }

  private static StoredKey key(Row r) {
    ApiKey k = new ApiKey(r.getString(0), r.getString(1), r.getString(2), r.getString(3), Sql.strings(r.getString(5)),
        r.getBoolean(6), Sql.instant(r.getOffsetDateTime(7)), Sql.strings(r.getString(8)),
        Sql.read(r.getString(9), Limits.class), r.getLong(10),
        r.getString(11) == null ? null : Sql.read(r.getString(11), CacheConfig.class), Channel.of(r.getString(12)),
        r.getBoolean(13));
    return new StoredKey(k, r.getString(4));
  }
}
