package io.tollgate.admin.store;

import io.tollgate.admin.model.ImportResult;
import io.tollgate.admin.model.IssuedKey;
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
import io.tollgate.api.config.KeyConfig;
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
        .compose(valid -> write(tx -> TenantStore.create(tx, valid)));
  }

  /** Applies {@code change} to the current tenant under a row lock. */
  public Future<Tenant> updateTenant(String id, UnaryOperator<TenantBody> change) {
    return write(tx -> TenantStore.find(tx.conn(), id, true)
        .compose(t -> TenantStore.update(tx, id, change.apply(TenantBody.of(t)).validated())));
  }

  public Future<Void> deleteTenant(String id) {
    return write(tx -> TenantStore.delete(tx, id));
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
        .compose(valid -> write(tx -> KeyStore.create(tx, valid, secret).compose(k -> !k.key().external()
            ? Future.succeededFuture(new IssuedKey(k, secret))
            : channels.issue(tx, k.key().id()).map(signing -> new IssuedKey(k, secret, signing)))));
  }

  /** Applies {@code change} to the current key under a row lock; the tenant cannot change. */
  public Future<StoredKey> updateKey(String id, UnaryOperator<KeyBody> change) {
    return write(tx -> KeyStore.find(tx.conn(), id, true).compose(current -> {
      KeyBody body = change.apply(KeyBody.of(current.key())).validated();
      if (!body.tenantId().equals(current.key().tenantId())) {
        throw io.tollgate.admin.AdminErrors.badRequest("a key cannot move to another tenant", "tenant_id");
      }
      return KeyStore.update(tx, current, body);
    }));
  }

  /** A new secret; an external key gets a new signing secret too (both old ones stop working). */
  public Future<IssuedKey> rotateKey(String id) {
    String secret = Secrets.generate();
    return write(tx -> KeyStore.find(tx.conn(), id, true).compose(current -> KeyStore.rotate(tx, current, secret))
        .compose(k -> !k.key().external() ? Future.succeededFuture(new IssuedKey(k, secret))
            : channels.issue(tx, k.key().id()).map(signing -> new IssuedKey(k, secret, signing))));
  }

  public Future<Void> deleteKey(String id) {
    return write(tx -> KeyStore.delete(tx, id));
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
    return write(tx -> ModelStore.save(tx, model, true, box, "")).map(ModelStore.Saved::model);
  }

  /** Creates or replaces a model (an unchanged one takes no new version). */
  public Future<ModelConfig> putModel(ModelConfig model) {
    return write(tx -> ModelStore.save(tx, model, false, box, "")).map(ModelStore.Saved::model);
  }

  public Future<Void> deleteModel(String name) {
    return write(tx -> ModelStore.delete(tx, name));
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
          sealed = sealed.compose(n -> write(tx -> ModelStore.save(tx, m, false, box, "models['" + m.name() + "'].")
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
    return write(tx -> LimitsStore.put(tx, limits == null ? GlobalLimits.NONE : limits));
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
    return write(tx -> {
      Future<int[]> counts = Future.succeededFuture(new int[2]);
      for (int i = 0; i < config.models().size(); i++) {
        ModelConfig m = config.models().get(i);
        String param = "models[" + i + "].";
        counts = counts.compose(c -> ModelStore.save(tx, m, false, box, param).map(s -> {
          c[0] += s.changed() ? 1 : 0;
          return c;
        }));
      }
      for (KeyConfig k : config.keys()) {
        counts = counts.compose(c -> KeyStore.upsertBootstrap(tx, k).map(changed -> {
          c[1] += changed ? 1 : 0;
          return c;
        }));
      }
      if (!GlobalLimits.NONE.equals(config.limits())) {
        counts = counts.compose(c -> LimitsStore.put(tx, config.limits()).map(c));
      }
      return counts.compose(c -> tx.conn().query("SELECT version FROM config_version WHERE id = 1").execute()
          .map(rows -> new ImportResult(c[0], c[1], rows.iterator().next().getLong(0))));
    });
  }

  public Future<Void> close() {
    return pool.close();
  }

  /** Runs {@code work} in a transaction, then publishes its events in version order. */
  <T> Future<T> write(Function<Tx, Future<T>> work) {
    return pool.withTransaction(conn -> {
      Tx tx = new Tx(conn);
      return work.apply(tx).map(result -> new Committed<>(result, tx.events()));
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
