package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.admin.store.Migrations;
import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.FeedWatch;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigFeedOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database is stopped and started here, so this class owns its own. */
@DisplayName("Restarts and a lost database")
class RestartAndOutageTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("with the database gone writes answer 503, the feed keeps serving its last snapshot, and after a "
      + "restart on the same data directory everything created before is still there")
  void outageAndRestart() {
    EmbeddedPg pg = EmbeddedPg.start(dataDir, 0);
    int port = pg.port();
    AdminNode node = AdminNode.start(pg.uri());
    try {
      ConfigFeed feed = new ConfigFeed(node.vertx, new ConfigFeedOptions().setCheckIntervalMs(200)
          .setRequestTimeoutMs(2_000));
      Await.result(feed.start());
      Await.result(feed.whenReady());
      String tenantId = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "durable")).json()
          .getString("id");
      JsonObject key = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId)
          .put("name", "survivor")).json();
      String secret = key.getString("key");
      Await.result(FeedWatch.until(feed, i -> i.keyBySecret(secret) != null), 1_000);

      pg.close();
      Response write = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "during-outage"));
      assertThat(write.status()).as(write.body()).isEqualTo(503);
      assertThat(write.error().getString("code")).isEqualTo("service_unavailable");
      assertThat(node.client.get("/admin/v1/keys").status()).isEqualTo(503);
      Throwable snapshot = Await.failure(node.vertx.eventBus().request(ConfigAddresses.SNAPSHOT, null,
          new DeliveryOptions().setSendTimeout(5_000)));
      assertThat(snapshot).isInstanceOf(ReplyException.class);
      assertThat(feed.ready()).isTrue();
      assertThat(feed.current().keyBySecret(secret)).as("the data path keeps its last snapshot").isNotNull();

      pg = EmbeddedPg.start(dataDir, port);
      Response again = node.client.get("/admin/v1/keys/" + key.getString("id"));
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json().getString("name")).isEqualTo("survivor");
      assertThat(node.client.post("/admin/v1/tenants", new JsonObject().put("name", "after-outage")).status())
          .isEqualTo(201);
    } finally {
      node.close();
      pg.close();
    }

    // A whole new admin process on the same data directory: nothing lost, nothing migrated twice.
    EmbeddedPg restarted = EmbeddedPg.start(dataDir, 0);
    AdminNode fresh = AdminNode.start(restarted.uri());
    try {
      var names = fresh.client.get("/admin/v1/tenants").json().getJsonArray("data").stream()
          .map(t -> ((JsonObject) t).getString("name")).toList();
      assertThat(names).contains("durable", "after-outage").doesNotContain("during-outage");
      var keys = fresh.client.get("/admin/v1/keys").json().getJsonArray("data");
      assertThat(keys).hasSize(1);
      assertThat(Await.result(fresh.admin.store().sqlPool().query("SELECT count(*) FROM schema_version").execute())
          .iterator().next().getLong(0)).isEqualTo(Migrations.FILES.size());
    } finally {
      fresh.close();
      restarted.close();
    }
  }
}
