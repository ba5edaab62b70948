package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL of the models table and the two tables that keep names and deployment ids unique. */
final class ModelStore {

  /** What a save did: the stored model, whether it is new, whether anything changed at all. */
  record Saved(ModelConfig model, boolean created, boolean changed) {
  }

  private ModelStore() {
  }

  static Future<List<ModelConfig>> list(SqlClient client) {
    return client.query("SELECT spec::text FROM models ORDER BY name").execute().map(rows -> {
      List<ModelConfig> out = new ArrayList<>();
      rows.forEach(r -> out.add(Sql.read(r.getString(0), ModelConfig.class)));
      return out;
    });
  }

  static Future<ModelConfig> find(SqlClient client, String name) {
    return client.preparedQuery("SELECT spec::text FROM models WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> {
          if (rows.size() == 0) {
            throw AdminErrors.notFound("model '" + name + "' does not exist");
          }
          return Sql.read(rows.iterator().next().getString(0), ModelConfig.class);
        });
  }

  /**
   * Inserts or replaces a model. With {@code createOnly} an existing model is a 409. A model equal
   * to the stored one takes no new version and publishes nothing, so re-importing is a no-op.
   */
  static Future<Saved> save(Tx tx, ModelConfig incoming, boolean createOnly) {
    String name = incoming.name();
    return tx.conn().preparedQuery("SELECT spec::text FROM models WHERE name = $1 FOR UPDATE").execute(Tuple.of(name))
        .compose(rows -> {
          ModelConfig existing = rows.size() == 0 ? null : Sql.read(rows.iterator().next().getString(0),
              ModelConfig.class);
          if (existing != null && createOnly) {
            throw AdminErrors.conflict("model '" + name + "' already exists", "name");
          }
          ModelConfig model = ModelSpecs.unmasked(incoming, existing);
          if (existing != null && Sql.json(existing).equals(Sql.json(model))) {
            return Future.succeededFuture(new Saved(existing, false, false));
          }
          return tx.nextVersion().compose(version -> write(tx, model, existing != null, version)
              .map(v -> {
                tx.emit(ConfigEvent.model(version, model));
                return new Saved(model, existing == null, true);
              }));
        });
  }

  private static Future<Void> write(Tx tx, ModelConfig model, boolean exists, long version) {
    String name = model.name();
    Future<?> row = exists
        ? tx.conn().preparedQuery("UPDATE models SET spec = $2::text::jsonb, version = $3, updated_at = now() WHERE name = $1")
            .execute(Tuple.of(name, Sql.json(model), version))
            .compose(v -> tx.conn().preparedQuery("DELETE FROM model_names WHERE model_name = $1").execute(Tuple.of(name)))
            .compose(v -> tx.conn().preparedQuery("DELETE FROM model_deployments WHERE model_name = $1")
                .execute(Tuple.of(name)))
        : tx.conn().preparedQuery("INSERT INTO models (name, spec, version) VALUES ($1, $2::text::jsonb, $3)")
            .execute(Tuple.of(name, Sql.json(model), version));
    List<Tuple> names = new ArrayList<>();
    names.add(Tuple.of(name, name));
    model.aliases().forEach(a -> names.add(Tuple.of(a, name)));
    List<Tuple> deployments = new ArrayList<>();
    for (DeploymentConfig d : model.deployments()) {
      deployments.add(Tuple.of(d.id(), name));
    }
    return row
        .compose(v -> tx.conn().preparedQuery("INSERT INTO model_names (name, model_name) VALUES ($1, $2)")
            .executeBatch(names))
        .compose(v -> tx.conn().preparedQuery("INSERT INTO model_deployments (id, model_name) VALUES ($1, $2)")
            .executeBatch(deployments))
        .mapEmpty();
  }

  static Future<Void> delete(Tx tx, String name) {
    return tx.conn().preparedQuery("SELECT 1 FROM models WHERE name = $1 FOR UPDATE").execute(Tuple.of(name))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw AdminErrors.notFound("model '" + name + "' does not exist");
          }
          return tx.nextVersion();
        })
        .compose(version -> tx.conn().preparedQuery("DELETE FROM models WHERE name = $1").execute(Tuple.of(name))
            .map(v -> {
              tx.emit(ConfigEvent.removed(version, ConfigEvent.Kind.MODEL, name));
              return null;
            }));
  }
}
