package io.tollgate.admin.store;

import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.GlobalLimits;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** SQL of the one-row global_limits table. */
final class LimitsStore {

  private LimitsStore() {
  }

  static Future<GlobalLimits> get(SqlClient client, boolean forUpdate) {
    return client.query("SELECT spec::text FROM global_limits WHERE id = 1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute().map(rows -> Sql.read(rows.iterator().next().getString(0), GlobalLimits.class));
  }

  /** Replaces the limits; unchanged limits take no new version and publish nothing. */
  static Future<GlobalLimits> put(Tx tx, GlobalLimits limits) {
    return get(tx.conn(), true).compose(existing -> {
      if (Sql.json(existing).equals(Sql.json(limits))) {
        return Future.succeededFuture(existing);
      }
      return tx.nextVersion().compose(version -> tx.conn()
          .preparedQuery("UPDATE global_limits SET spec = $1::text::jsonb, version = $2, updated_at = now() WHERE id = 1")
          .execute(Tuple.of(Sql.json(limits), version))
          .map(v -> {
            tx.emit(ConfigEvent.limits(version, limits));
            return limits;
          }));
    });
  }
}
