package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.admin.store.Migrations;
import io.tollgate.edge.format.responses.PgResponseStore;
import io.tollgate.edge.format.responses.ResponseStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The response store in a real PostgreSQL, migrated like the admin role migrates it. */
@DisplayName("Stored responses in PostgreSQL: per tenant, with a time to live")
class PgResponseStoreTest {

  static EmbeddedPg postgres;
  static Vertx vertx;
  static Pool pool;
  static PgResponseStore store;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    vertx = Vertx.vertx();
    pool = ConfigStore.pool(vertx, postgres.uri(), 2);
    Migrations.migrate(vertx, pool).await();
    store = new PgResponseStore(pool, PgResponseStore.DEFAULT_TTL);
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
    postgres.close();
  }

  private static ResponseStore.Stored stored(String id, String text) {
    JsonObject response = new JsonObject().put("id", id).put("object", "response").put("output", new JsonArray()
        .add(new JsonObject().put("type", "message").put("role", "assistant").put("content", text)));
    return new ResponseStore.Stored(id, response, new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", "q")));
  }

  @Test
  @DisplayName("a tenant reads and deletes its own responses only; the continuation is its conversation then its output")
  void perTenant() {
    store.save("tn_a", stored("resp_1", "answer")).await();
    ResponseStore.Stored back = store.load("tn_a", "resp_1").await();
    assertThat(back.response()).isEqualTo(stored("resp_1", "answer").response());
    assertThat(back.continued()).hasSize(2);
    assertThat(back.continued().getJsonObject(1).getString("content")).isEqualTo("answer");
    assertThat(store.load("tn_b", "resp_1").await()).as("another tenant's").isNull();
    assertThat(store.delete("tn_b", "resp_1").await()).isFalse();
    assertThat(store.delete("tn_a", "resp_1").await()).isTrue();
    assertThat(store.load("tn_a", "resp_1").await()).isNull();
    assertThat(store.delete("tn_a", "resp_1").await()).isFalse();
  }

  @Test
  @DisplayName("rows live for the TTL: an expired one is invisible at once and purged; a live one stays")
  void expiry() {
    store.save("tn_t", stored("resp_live", "x")).await();
    store.save("tn_t", stored("resp_old", "y")).await();
    pool.preparedQuery("UPDATE responses SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of("resp_old")).await();
    long days = pool.preparedQuery("SELECT extract(epoch FROM expires_at - created_at) / 86400 FROM responses "
        + "WHERE id = $1").execute(Tuple.of("resp_live")).await().iterator().next().getDouble(0).longValue();
    assertThat(days).as("days a stored response is kept").isEqualTo(30);
    assertThat(store.load("tn_t", "resp_old").await()).isNull();
    assertThat(store.purgeExpired().await()).isEqualTo(1);
    assertThat(store.load("tn_t", "resp_live").await()).isNotNull();
  }
}
