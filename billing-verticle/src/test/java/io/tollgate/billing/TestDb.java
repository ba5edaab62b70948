package io.tollgate.billing;

import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.admin.store.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real embedded PostgreSQL with the gateway's schema migrated. */
public final class TestDb implements AutoCloseable {

  final EmbeddedPg pg;

  private TestDb(EmbeddedPg pg) {
    this.pg = pg;
  }

  public static TestDb start(Path dir, Vertx vertx) {
    TestDb db = new TestDb(EmbeddedPg.start(dir, 0));
    Pool pool = db.pool(vertx, 1);
    try {
      await(Migrations.migrate(vertx, pool));
    } finally {
      await(pool.close());
    }
    return db;
  }

  public Pool pool(Vertx vertx, int size) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(PgConnectOptions.fromUri(pg.uri()))
        .using(vertx).build();
  }

  public static Row one(Pool pool, String sql) {
    return await(pool.query(sql).execute()).iterator().next();
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed within 30 s", e);
    }
  }

  @Override
  public void close() {
    pg.close();
  }
}
