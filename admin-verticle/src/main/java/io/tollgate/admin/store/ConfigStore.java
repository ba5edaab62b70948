package io.tollgate.admin.store;

import io.tollgate.admin.model.ImportResult;
import io.tollgate.admin.model.IssuedKey;
import io.tollgate.admin.model.KeyView;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.admin.model.KeyBody;
import io.tollgate.admin.model.StoredKey;
import io.tollgate.admin.model.TenantBody;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.CredentialRef;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.GlobalLimits;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.SecretReply;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration database: every read and write of tenants, keys and models. Each write is one
 * transaction that takes a new config version per changed entity; after it commits, one
 * {@link ConfigEvent} per change is published on {@link ConfigAddresses#EVENTS}. Literal upstream
 * keys are stored encrypted with the {@link SecretBox} (refused without one) and never leave this
 * class except decrypted for a connector's {@link #secret} request.
 */
public final class ConfigStore {

  public static final int DEFAULT_POOL_SIZE = 4;
  private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);

  private final Vertx vertx;
  private final Pool pool;
  private final SecretBox box;
  private final ChannelStore channels;

  public ConfigStore(Vertx vertx, Pool pool) {
    this(vertx, pool, null);
  }

  /** @param box encrypts literal upstream keys at rest; null: literal keys are refused */
  public ConfigStore(Vertx vertx, Pool pool, SecretBox box) {
    this.vertx = vertx;
    this.pool = pool;
    this.box = box;
    this.channels = new ChannelStore(this, pool, box);
  }

  /** Signing secrets and key freezes of the external channel. */
  public ChannelStore channels() {
    return channels;
  }

  /** A pool for a {@code postgresql://user:password@host:port/db} URI. */
  public static Pool pool(Vertx vertx, String uri, int maxSize) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize))
        .connectingTo(PgConnectOptions.fromUri(uri))
        .using(vertx)
        .build();
  }

  public Pool sqlPool() {
    return pool;
  }

  /** Applies pending schema migrations (safe when several admin nodes start together). */
  public Future<Integer> migrate() {
    return Migrations.migrate(vertx, pool);
  }

  /** Readiness: the database answers. */
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  public Future<Long> version() {
    return pool.query("SELECT version FROM config_version WHERE id = 1").execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Everything a node serves from, read in one repeatable-read transaction so it matches its version. */
  public Future<ConfigSnapshot> snapshot() {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute()
        .compose(v -> conn.query("SELECT version FROM config_version WHERE id = 1").execute())
        .compose(rows -> {
          long version = rows.iterator().next().getLong(0);
          Future<List<Tenant>> tenants = TenantStore.list(conn);
          Future<List<StoredKey>> keys = KeyStore.list(conn, null);
          Future<List<ModelConfig>> models = ModelStore.list(conn);
          Future<GlobalLimits> limits = LimitsStore.get(conn, false);
          return Future.all(tenants, keys, models, limits).map(all -> new ConfigSnapshot(version, tenants.result(),
              keys.result().stream().map(StoredKey::key).toList(), models.result(), limits.result()));
        }));
  }

  // Tenants

  public Future<List<Tenant>> tenants() {
    return TenantStore.list(pool);
  }

  public Future<Tenant> tenant(String id) {
    return TenantStore.find(pool, id, false);
  }

  public Future<Tenant> createTenant(TenantBody body) {
    return Future.succeededFuture(body).map(TenantBody::validated)
        .compose(valid -> write(tx -> TenantStore.create(tx, valid)
            .map(t -> tx.audited(t, "tenant.create", "tenant", t.id(), t.id(), null, t))));
  }

  /** Applies {@code change} to the current tenant under a row lock. */
  public Future<Tenant> updateTenant(String id, UnaryOperator<TenantBody> change) {
    return write(tx -> TenantStore.find(tx.conn(), id, true)
        .compose(before -> TenantStore.update(tx, id, change.apply(TenantBody.of(before)).validated())
            .map(after -> tx.audited(after, "tenant.update", "tenant", id, id, before, after))));
  }

  public Future<Void> deleteTenant(String id) {
    return write(tx -> TenantStore.find(tx.conn(), id, true)
        .compose(before -> TenantStore.delete(tx, id)
            .map(v -> tx.audited(v, "tenant.delete", "tenant", id, id, before, null))));
  }

  // Keys

  public Future<List<StoredKey>> keys(String tenantId) {
    return KeyStore.list(pool, tenantId);
  }

  public Future<StoredKey> key(String id) {
    return KeyStore.find(pool, id, false);
  }

  /**
   * Creates a key with a fresh secret (and, for an external key, a fresh signing secret, stored
   * sealed); the secrets are in the result and nowhere else.
   */
  public Future<IssuedKey> createKey(KeyBody body) {
    String secret = Secrets.generate();
    return Future.succeededFuture(body).map(KeyBody::validated)
        .compose(valid -> write(tx -> KeyStore.create(tx, valid, secret)
            .map(k -> tx.audited(k, "key.create", "key", k.key().id(), k.key().tenantId(), null, keyView(k)))
            .compose(k -> !k.key().external() ? Future.succeededFuture(new IssuedKey(k, secret))
                : channels.issue(tx, k.key().id()).map(signing -> new IssuedKey(k, secret, signing)))));
  }

  /** Applies {@code change} to the current key under a row lock; the tenant cannot change. */
  public Future<StoredKey> updateKey(String id, UnaryOperator<KeyBody> change) {
    return write(tx -> KeyStore.find(tx.conn(), id, true).compose(current -> {
      KeyBody body = change.apply(KeyBody.of(current.key())).validated();
      if (!body.tenantId().equals(current.key().tenantId())) {
        throw io.tollgate.admin.AdminErrors.badRequest("a key cannot move to another tenant", "tenant_id");
      }
      return KeyStore.update(tx, current, body).map(after -> tx.audited(after, "key.update", "key", id,
          current.key().tenantId(), keyView(current), keyView(after)));
    }));
  }

  /** A new secret; an external key gets a new signing secret too (both old ones stop working). */
  public Future<IssuedKey> rotateKey(String id) {
    String secret = Secrets.generate();
    return write(tx -> KeyStore.find(tx.conn(), id, true).compose(current -> KeyStore.rotate(tx, current, secret)
            .map(after -> tx.audited(after, "key.rotate", "key", id, current.key().tenantId(), keyView(current),
                keyView(after))))
        .compose(k -> !k.key().external() ? Future.succeededFuture(new IssuedKey(k, secret))
            : channels.issue(tx, k.key().id()).map(signing -> new IssuedKey(k, secret, signing))));
  }

  public Future<Void> deleteKey(String id) {
    return write(tx -> KeyStore.find(tx.conn(), id, true).compose(before -> KeyStore.delete(tx, id)
        .map(v -> tx.audited(v, "key.delete", "key", id, before.key().tenantId(), keyView(before), null))));
  }

  /** A key as the API shows it (no hash, no secret), for audit records. */
  private static KeyView keyView(StoredKey k) {
    return KeyView.of(k, null);
  }

  // Models

  public Future<List<ModelConfig>> models() {
    return ModelStore.list(pool);
  }

  public Future<ModelConfig> model(String name) {
    return ModelStore.find(pool, name);
  }

  /** Creates a model; an existing name is a 409. */
  public Future<ModelConfig> createModel(ModelConfig model) {
    return saveModel(model, true, "model.create", AdminAudit.ADMIN);
  }

  /** Creates or replaces a model (an unchanged one takes no new version). */
  public Future<ModelConfig> putModel(ModelConfig model) {
    return putModel(model, "model.put");
  }

  /** {@link #putModel(ModelConfig)} recorded in the audit log as {@code action} (e.g. a canary step). */
  public Future<ModelConfig> putModel(ModelConfig model, String action) {
    return saveModel(model, false, action, AdminAudit.ADMIN);
  }

  private Future<ModelConfig> saveModel(ModelConfig model, boolean createOnly, String action, String actor) {
    return write(actor, tx -> ModelStore.save(tx, model, createOnly, box, "").map(saved ->
        tx.audited(saved, action, "model", model.name(), null, masked(saved.before()), ModelSpecs.masked(saved.model()))))
        .map(ModelStore.Saved::model);
  }

  public Future<Void> deleteModel(String name) {
    return write(tx -> ModelStore.find(tx.conn(), name).compose(before -> ModelStore.delete(tx, name)
        .map(v -> tx.audited(v, "model.delete", "model", name, null, ModelSpecs.masked(before), null))));
  }

  private static ModelConfig masked(ModelConfig model) {
    return model == null ? null : ModelSpecs.masked(model);
  }

  /**
   * Re-saves models whose stored spec still holds a literal key (written before keys were
   * encrypted), so that no snapshot carries one. Without a secrets key this fails with the 400
   * that names the deployment, and the admin node does not start.
   */
  public Future<Integer> sealStoredLiterals() {
    return models().compose(models -> {
      Future<Integer> sealed = Future.succeededFuture(0);
      for (ModelConfig m : models) {
        boolean literal = m.deployments().stream().anyMatch(d -> {
          try {
            CredentialRef ref = CredentialRef.parse(d.apiKey());
            return ref != null && ref.kind() == CredentialRef.Kind.LITERAL;
          } catch (IllegalArgumentException e) {
            return false;
          }
        });
        if (literal) {
          sealed = sealed.compose(n -> write(AdminAudit.STARTUP, tx -> ModelStore.save(tx, m, false, box,
                  "models['" + m.name() + "'].").map(saved -> tx.audited(saved, "model.seal", "model", m.name(), null,
                  masked(saved.before()), ModelSpecs.masked(saved.model())))
              .map(saved -> n + 1)));
        }
      }
      return sealed;
    });
  }

  /** The decrypted upstream key behind {@code secret:<deploymentId>}, for a connector node. */
  public Future<SecretReply> secret(String deploymentId) {
    if (box == null) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH,
          "this admin node has no TOLLGATE_SECRETS_KEY to decrypt stored credentials"));
    }
    return pool.withTransaction(conn -> SecretStore.find(conn, deploymentId, false)
        .compose(sealed -> conn.query("SELECT version FROM config_version WHERE id = 1").execute().map(rows -> {
          if (sealed == null) {
            throw new GatewayException(ErrorCode.UPSTREAM_AUTH, "no stored credential for deployment " + deploymentId);
          }
          return new SecretReply(deploymentId, box.open(sealed, deploymentId), rows.iterator().next().getLong(0));
        })));
  }

  // Global limits

  public Future<GlobalLimits> limits() {
    return LimitsStore.get(pool, false);
  }

  /** Replaces the gateway-wide limits (a new config version, published to every edge). */
  public Future<GlobalLimits> putLimits(GlobalLimits limits) {
    return write(tx -> LimitsStore.get(tx.conn(), true).compose(before ->
        LimitsStore.put(tx, limits == null ? GlobalLimits.NONE : limits)
            .map(after -> tx.audited(after, "limits.put", "limits", "global", null, before, after))));
  }

  // Config file

  /**
   * Seeds or updates the database from a config file, in one transaction: models are upserted
   * (models absent from the file are kept), bootstrap keys are upserted by name into the
   * {@code default} tenant with only their hash stored, and the file's {@code limits}, when it has
   * any, replace the stored ones (a file without {@code limits} keeps them). Literal upstream keys are
   * encrypted (a 400 naming {@code models[m].deployments[i].api_key} without a secrets key). Running
   * it again changes nothing.
   */
  public Future<ImportResult> importConfig(GatewayConfig config) {
    return importConfig(config, AdminAudit.ADMIN);
  }

  /**
   * {@link #importConfig(GatewayConfig)} by {@code actor}: one audit record with the changed models
   * and limits before and after (keys by count: their secrets are not recorded); the admin node's
   * own import at start is recorded only when it changed something.
   */
  public Future<ImportResult> importConfig(GatewayConfig config, String actor) {
    return write(actor, tx -> ConfigImport.apply(tx, config, box, actor));
  }

  public Future<Void> close() {
    return pool.close();
  }

  <T> Future<T> write(Function<Tx, Future<T>> work) {
    return write(AdminAudit.ADMIN, work);
  }

  /**
   * Runs {@code work} in a transaction with the audit records it made (by {@code actor}), then
   * publishes its events in version order.
   */
  <T> Future<T> write(String actor, Function<Tx, Future<T>> work) {
    return pool.withTransaction(conn -> {
      Tx tx = new Tx(conn, actor);
      return work.apply(tx).compose(result -> AdminAudit.write(conn, actor, tx.audits())
          .map(v -> new Committed<>(result, tx.events())));
    }).map(committed -> {
      for (ConfigEvent event : committed.events()) {
        try {
          vertx.eventBus().publish(ConfigAddresses.EVENTS, event);
        } catch (RuntimeException e) {
          // Committed already; nodes will catch up through their periodic version check.
          LOG.error("cannot publish config event {} ({})", event.version(), e.getMessage());
        }
      }
      return committed.result();
    });
  }

  private record Committed<T>(T result, List<ConfigEvent> events) {
  }
}
