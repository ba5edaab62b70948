package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.TenantBody;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.keys.TenantAudit;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL of the tenants table. */
final class TenantStore {

  static final String DEFAULT_ID = "default";
  private static final String COLUMNS = "id, name, enabled, limits::text, version, audit::text";

  private TenantStore() {
  }

  static Future<List<Tenant>> list(SqlClient client) {
    return client.query("SELECT " + COLUMNS + " FROM tenants ORDER BY created_at, id").execute()
        .map(rows -> {
          List<Tenant> out = new ArrayList<>();
          rows.forEach(r -> out.add(tenant(r)));
          return out;
        });
  }

  static Future<Tenant> find(SqlClient client, String id, boolean forUpdate) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM tenants WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw AdminErrors.notFound("tenant '" + id + "' does not exist");
          }
          return tenant(rows.iterator().next());
        });
  }

  static Future<Tenant> create(Tx tx, TenantBody body) {
    return insert(tx, "tn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), body);
  }

  /** The tenant that bootstrap keys from the config file belong to, created on first use. */
  static Future<Void> ensureDefault(Tx tx) {
    return tx.conn().preparedQuery("SELECT 1 FROM tenants WHERE id = $1").execute(Tuple.of(DEFAULT_ID))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture()
            : insert(tx, DEFAULT_ID, new TenantBody(DEFAULT_ID, true, Limits.NONE)).mapEmpty());
  }

  private static Future<Tenant> insert(Tx tx, String id, TenantBody body) {
    return tx.nextVersion().compose(version -> {
      Tenant t = body.toTenant(id, version);
      return tx.conn().preparedQuery("INSERT INTO tenants (id, name, enabled, limits, version, audit) "
              + "VALUES ($1, $2, $3, $4::text::jsonb, $5, $6::text::jsonb)")
          .execute(Tuple.of(t.id(), t.name(), t.enabled(), Sql.json(t.limits()), version, Sql.json(t.audit())))
          .map(v -> emitted(tx, t));
    });
  }

  static Future<Tenant> update(Tx tx, String id, TenantBody body) {
    return tx.nextVersion().compose(version -> {
      Tenant t = body.toTenant(id, version);
      return tx.conn().preparedQuery("UPDATE tenants SET name = $2, enabled = $3, limits = $4::text::jsonb, version = $5, "
              + "audit = $6::text::jsonb, updated_at = now() WHERE id = $1")
          .execute(Tuple.of(t.id(), t.name(), t.enabled(), Sql.json(t.limits()), version, Sql.json(t.audit())))
          .map(v -> emitted(tx, t));
    });
  }

  /** Deletes a tenant without keys; one with keys is a 409 (disable it or delete its keys first). */
  static Future<Void> delete(Tx tx, String id) {
    return find(tx.conn(), id, true)
        .compose(t -> tx.conn().preparedQuery("SELECT count(*) FROM api_keys WHERE tenant_id = $1").execute(Tuple.of(id)))
        .compose(rows -> {
          if (rows.iterator().next().getLong(0) > 0) {
            throw AdminErrors.conflict("tenant '" + id + "' still has keys; delete or move them first", "id");
          }
          return tx.nextVersion();
        })
        .compose(version -> tx.conn().preparedQuery("DELETE FROM tenants WHERE id = $1").execute(Tuple.of(id))
            .map(v -> {
              tx.emit(ConfigEvent.removed(version, ConfigEvent.Kind.TENANT, id));
              return null;
            }));
  }

  private static Tenant emitted(Tx tx, Tenant t) {
    tx.emit(ConfigEvent.tenant(t.version(), t));
    return t;
  }

  private static Tenant tenant(Row r) {
    return new Tenant(r.getString(0), r.getString(1), r.getBoolean(2), Sql.read(r.getString(3), Limits.class),
        r.getLong(4), Sql.read(r.getString(5), TenantAudit.class));
  }
}
