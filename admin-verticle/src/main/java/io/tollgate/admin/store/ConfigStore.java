package io.tollgate.admin.store;

import io.tollgate.admin.model.ImportResult;
import io.tollgate.admin.model.IssuedKey;
import io.tollgate.admin.model.KeyBody;
import io.tollgate.admin.model.StoredKey;
import io.tollgate.admin.model.TenantBody;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.config.ModelConfig;
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
 * {@link ConfigEvent} per change is published on {@link ConfigAddresses#EVENTS}.
 */
public final class ConfigStore {

  public static final int DEFAULT_POOL_SIZE = 4;
  private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);

  private final Vertx vertx;
  private final Pool pool;

  public ConfigStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
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
          return Future.all(tenants, keys, models).map(all -> new ConfigSnapshot(version, tenants.result(),
              keys.result().stream().map(StoredKey::key).toList(), models.result()));
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

  /** Creates a key with a fresh secret; the secret is in the result and nowhere else. */
  public Future<IssuedKey> createKey(KeyBody body) {
    String secret = Secrets.generate();
    return Future.succeededFuture(body).map(KeyBody::validated)
        .compose(valid -> write(tx -> KeyStore.create(tx, valid, secret)))
        .map(k -> new IssuedKey(k, secret));
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

  public Future<IssuedKey> rotateKey(String id) {
    String secret = Secrets.generate();
    return write(tx -> KeyStore.find(tx.conn(), id, true).compose(current -> KeyStore.rotate(tx, current, secret)))
        .map(k -> new IssuedKey(k, secret));
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
    return write(tx -> ModelStore.save(tx, model, true)).map(ModelStore.Saved::model);
  }

  /** Creates or replaces a model (an unchanged one takes no new version). */
  public Future<ModelConfig> putModel(ModelConfig model) {
    return write(tx -> ModelStore.save(tx, model, false)).map(ModelStore.Saved::model);
  }

  public Future<Void> deleteModel(String name) {
    return write(tx -> ModelStore.delete(tx, name));
  }

  // Config file

  /**
   * Seeds or updates the database from a config file, in one transaction: models are upserted
   * (models absent from the file are kept), bootstrap keys are upserted by name into the
   * {@code default} tenant with only their hash stored. Running it again changes nothing.
   */
  public Future<ImportResult> importConfig(GatewayConfig config) {
    return write(tx -> {
      Future<int[]> counts = Future.succeededFuture(new int[2]);
      for (ModelConfig m : config.models()) {
        counts = counts.compose(c -> ModelStore.save(tx, m, false).map(s -> {
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
      return counts.compose(c -> tx.conn().query("SELECT version FROM config_version WHERE id = 1").execute()
          .map(rows -> new ImportResult(c[0], c[1], rows.iterator().next().getLong(0))));
    });
  }

  public Future<Void> close() {
    return pool.close();
  }

  /** Runs {@code work} in a transaction, then publishes its events in version order. */
  private <T> Future<T> write(Function<Tx, Future<T>> work) {
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
