package io.tollgate.admin.store;

import io.tollgate.admin.secrets.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of the key_signing_secrets table: an external key's signing secret sealed with the
 * {@link SecretBox}, associated data {@code key:<id>} (a row copied to another key does not open).
 */
final class SigningSecretStore {

  private SigningSecretStore() {
  }

  static String aad(String keyId) {
    return "key:" + keyId;
  }

  /** The sealed signing secret of a key, or null. */
  static Future<SecretBox.Sealed> find(SqlClient client, String keyId) {
    return client.preparedQuery("SELECT nonce, ciphertext FROM key_signing_secrets WHERE key_id = $1")
        .execute(Tuple.of(keyId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new SecretBox.Sealed(r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes());
        });
  }

  /** Stores (or replaces) the key's signing secret, sealed. */
  static Future<Void> put(Tx tx, SecretBox box, String keyId, String plain) {
    SecretBox.Sealed sealed = box.seal(plain, aad(keyId));
    return tx.conn().preparedQuery("INSERT INTO key_signing_secrets (key_id, nonce, ciphertext) VALUES ($1, $2, $3) "
            + "ON CONFLICT (key_id) DO UPDATE SET nonce = $2, ciphertext = $3, updated_at = now()")
        .execute(Tuple.of(keyId, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.ciphertext())))
        .mapEmpty();
  }
}
