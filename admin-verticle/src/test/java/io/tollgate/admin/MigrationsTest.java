package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.Migrations;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Schema migrations")
class MigrationsTest {

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
    pg.close();
  }

  /** A fresh database on the test server, so each test starts from an empty schema. */
  static String database(String name) {
    Pool admin = ConfigStore.pool(vertx, pg.uri(), 1);
    try {
      Await.result(admin.query("CREATE DATABASE " + name).execute());
    } finally {
      Await.result(admin.close());
    }
    return pg.uri().substring(0, pg.uri().lastIndexOf('/') + 1) + name;
  }

  @Test
  @DisplayName("running the migrations twice applies them once")
  void twice() {
    Pool pool = ConfigStore.pool(vertx, database("twice"), 2);
    try {
      assertThat(Await.result(Migrations.migrate(vertx, pool))).isEqualTo(Migrations.FILES.size());
      assertThat(Await.result(Migrations.migrate(vertx, pool))).isZero();
      assertThat(Await.result(pool.query("SELECT count(*) FROM schema_version").execute()).iterator().next()
          .getLong(0)).isEqualTo(Migrations.FILES.size());
    } finally {
      Await.result(pool.close());
    }
  }

  @Test
  @DisplayName("admin nodes starting together apply each migration exactly once")
  void concurrently() {
    String uri = database("together");
    Pool a = ConfigStore.pool(vertx, uri, 1);
    Pool b = ConfigStore.pool(vertx, uri, 1);
    Pool c = ConfigStore.pool(vertx, uri, 1);
    try {
      Future<Integer> fa = Migrations.migrate(vertx, a);
      Future<Integer> fb = Migrations.migrate(vertx, b);
      Future<Integer> fc = Migrations.migrate(vertx, c);
      Await.result(Future.all(fa, fb, fc));
      assertThat(fa.result() + fb.result() + fc.result()).isEqualTo(Migrations.FILES.size());
      assertThat(Await.result(a.query("SELECT version FROM config_version").execute()).iterator().next()
          .getLong(0)).isZero();
    } finally {
      Await.result(Future.all(a.close(), b.close(), c.close()));
    }
  }
}
