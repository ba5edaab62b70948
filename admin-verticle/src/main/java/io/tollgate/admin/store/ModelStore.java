package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.api.config.CredentialRef;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL of the models table and the two tables that keep names and deployment ids unique. */
final class ModelStore {

  /** What a save did: the stored model, the one it replaced (null: new), whether anything changed at all. */
  record Saved(ModelConfig model, ModelConfig before, boolean created, boolean changed) {
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
   * to the stored one (and with equal secrets) takes no new version and publishes nothing, so
   * re-importing is a no-op. Literal upstream keys are encrypted into deployment_secrets with
   * {@code box} and replaced by their {@code secret:} marker; without a box they are a 400 naming
   * {@code <param>deployments[i].api_key}.
   */
  static Future<Saved> save(Tx tx, ModelConfig incoming, boolean createOnly, SecretBox box, String param) {
    String name = incoming.name();
    return tx.conn().preparedQuery("SELECT spec::text FROM models WHERE name = $1 FOR UPDATE").execute(Tuple.of(name))
        .compose(rows -> {
          ModelConfig existing = rows.size() == 0 ? null : Sql.read(rows.iterator().next().getString(0),
              ModelConfig.class);
          if (existing != null && createOnly) {
            throw AdminErrors.conflict("model '" + name + "' already exists", "name");
          }
          Map<String, String> literals = new LinkedHashMap<>();
          ModelConfig model = sealed(ModelSpecs.unmasked(incoming, existing, param), existing, box, param, literals);
          return putSecrets(tx, box, literals).compose(secretChanged -> {
            if (existing != null && !secretChanged && Sql.json(existing).equals(Sql.json(model))) {
              return Future.succeededFuture(new Saved(existing, existing, false, false));
            }
            return tx.nextVersion().compose(version -> write(tx, model, existing != null, version)
              .compose(v -> SecretStore.dropOrphans(tx))
              .map(v -> {
                tx.emit(ConfigEvent.model(version, model));
                return new Saved(model, existing, existing == null, true);
              }));
          });
        });
  }

  /**
   * The model with every literal api_key replaced by its deployment's {@code secret:} marker (the
   * literals collected in {@code literals}), after checking every reference's form.
   */
  private static ModelConfig sealed(ModelConfig model, ModelConfig existing, SecretBox box, String param,
                                    Map<String, String> literals) {
    List<DeploymentConfig> out = new ArrayList<>();
    for (int i = 0; i < model.deployments().size(); i++) {
      DeploymentConfig d = model.deployments().get(i);
      String at = param + "deployments[" + i + "].api_key";
      CredentialRef ref;
      try {
        ref = CredentialRef.parse(d.apiKey());
      } catch (IllegalArgumentException e) {
        throw AdminErrors.badRequest("'" + at + "': " + e.getMessage(), at);
      }
      if (ref == null || ref.kind() == CredentialRef.Kind.ENV || ref.kind() == CredentialRef.Kind.FILE) {
        out.add(d);
      } else if (ref.kind() == CredentialRef.Kind.SECRET) {
        boolean stored = existing != null && existing.deployments().stream()
            .anyMatch(e -> e.id().equals(d.id()) && d.apiKey().trim().equals(e.apiKey()));
        if (!ref.value().equals(d.id()) || !stored) {
          throw AdminErrors.badRequest("'" + at + "' names no stored credential of deployment '" + d.id()
              + "': send the key itself (it is stored encrypted), ${ENV_VAR} or file:/path", at);
        }
        out.add(ModelSpecs.withApiKey(d, ref.toString()));
      } else if (box == null) {
        throw AdminErrors.badRequest("'" + at + "' is a literal upstream key, and this admin node has no "
            + "TOLLGATE_SECRETS_KEY to store it encrypted: use a reference resolved on the connector node "
            + "(${ENV_VAR} or file:/path), or set TOLLGATE_SECRETS_KEY (base64 of 32 random bytes, e.g. "
            + "openssl rand -base64 32) or TOLLGATE_SECRETS_KEY_FILE on admin nodes", at);
      } else {
        literals.put(d.id(), ref.value());
        out.add(ModelSpecs.withApiKey(d, CredentialRef.secretMarker(d.id())));
      }
    }
    return model.withDeployments(out);
  }

  private static Future<Boolean> putSecrets(Tx tx, SecretBox box, Map<String, String> literals) {
    Future<Boolean> changed = Future.succeededFuture(false);
    for (Map.Entry<String, String> e : literals.entrySet()) {
      changed = changed.compose(any -> SecretStore.put(tx, box, e.getKey(), e.getValue()).map(c -> any || c));
    }
    return changed;
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
        // A rules model has no deployments of its own, and an empty batch is an error to the client.
        .compose(v -> deployments.isEmpty() ? Future.succeededFuture()
            : tx.conn().preparedQuery("INSERT INTO model_deployments (id, model_name) VALUES ($1, $2)")
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
            .compose(v -> SecretStore.dropOrphans(tx))
            .map(v -> {
              tx.emit(ConfigEvent.removed(version, ConfigEvent.Kind.MODEL, name));
              return null;
            }));
  }
}
