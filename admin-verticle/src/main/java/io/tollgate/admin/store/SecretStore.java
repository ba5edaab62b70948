package io.tollgate.admin.store;

import io.tollgate.admin.secrets.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** SQL of the deployment_secrets table: only ciphertext and nonce are stored, never the key. */
final class SecretStore {

  private SecretStore() {
  }

  /** The sealed secret of a deployment, or null. */
  static Future<SecretBox.Sealed> find(SqlClient client, String deploymentId, boolean forUpdate) {
    return client.preparedQuery("SELECT nonce, ciphertext FROM deployment_secrets WHERE deployment_id = $1"
            + (forUpdate ? " FOR UPDATE" : "")).execute(Tuple.of(deploymentId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new SecretBox.Sealed(r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes());
        });
  }

  /** Stores {@code plain} for the deployment; completes with whether it differs from what was stored. */
  static Future<Boolean> put(Tx tx, SecretBox box, String deploymentId, String plain) {
    return find(tx.conn(), deploymentId, true).compose(existing -> {
      if (existing != null && plain.equals(box.open(existing, deploymentId))) {
        return Future.succeededFuture(false);
      }
      SecretBox.Sealed sealed = box.seal(plain, deploymentId);
      return tx.conn().preparedQuery("INSERT INTO deployment_secrets (deployment_id, nonce, ciphertext) "
              + "VALUES ($1, $2, $3) ON CONFLICT (deployment_id) DO UPDATE SET nonce = $2, ciphertext = $3, "
              + "updated_at = now()")
          .execute(Tuple.of(deploymentId, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.ciphertext())))
          .map(true);
    });
  }

  /** Drops the secrets of deployments that no longer exist (a model deleted or a deployment removed). */
  static Future<Void> dropOrphans(Tx tx) {
    return tx.conn().query("DELETE FROM deployment_secrets WHERE deployment_id NOT IN "
        + "(SELECT id FROM model_deployments)").execute().mapEmpty();
  }
}
