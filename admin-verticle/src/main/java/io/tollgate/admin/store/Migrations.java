package io.tollgate.admin.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files under {@code db/migration} in order, once each. Several admin
 * nodes may start together: a session advisory lock makes them take turns, and the ones that come
 * second find nothing left to do.
 */
public final class Migrations {

  /** In order; a jar cannot list a resource folder, so new files are added here too. */
  public static final List<String> FILES = List.of("V1__init.sql", "V2__secrets_and_limits.sql",
      "V3__usage_ledger.sql", "V4__responses.sql", "V5__audit_admin.sql", "V6__webhooks.sql",
      "V7__channels.sql", "V8__batches.sql", "V9__cache_hits.sql",
      "V10__batch_expiry.sql");

  static final String RESOURCE_DIR = "db/migration/";
  private static final long LOCK_KEY = 0x746f6c6c67617465L; // "tollgate"
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  /** Runs pending migrations; completes with the number applied. */
  public static Future<Integer> migrate(Vertx vertx, Pool pool) {
    return pool.getConnection().compose(conn -> conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute()
        .compose(v -> applyPending(vertx, conn))
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()
            .eventually(conn::close)));
  }

  private static Future<Integer> applyPending(Vertx vertx, SqlConnection conn) {
    // Checked rather than CREATE ... IF NOT EXISTS, whose notice would be logged on every start.
    return conn.query("SELECT to_regclass('schema_version') IS NOT NULL").execute()
        .compose(rows -> rows.iterator().next().getBoolean(0) ? Future.succeededFuture()
            : conn.query("CREATE TABLE schema_version (version integer PRIMARY KEY, file text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getInteger(0));
          }
          Future<Integer> chain = Future.succeededFuture(0);
          for (String file : FILES) {
            int version = versionOf(file);
            if (!applied.contains(version)) {
              chain = chain.compose(n -> apply(vertx, conn, file, version).map(n + 1));
            }
          }
          return chain;
        });
  }

  private static Future<Void> apply(Vertx vertx, SqlConnection conn, String file, int version) {
    return vertx.fileSystem().readFile(RESOURCE_DIR + file)
        .compose(sql -> conn.begin().compose(tx -> conn.query(sql.toString()).execute()
            .compose(v -> conn.preparedQuery("INSERT INTO schema_version (version, file) VALUES ($1, $2)")
                .execute(Tuple.of(version, file)))
            .compose(v -> tx.commit())
            .recover(e -> tx.rollback().transform(ignored -> Future.failedFuture(e)))))
        .onSuccess(v -> LOG.info("applied migration {}", file))
        .mapEmpty();
  }

  static int versionOf(String file) {
    int end = file.indexOf("__");
    if (!file.startsWith("V") || end < 2) {
      throw new IllegalArgumentException("migration file name must look like V<n>__name.sql: " + file);
    }
    return Integer.parseInt(file.substring(1, end));
  }
}
