package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.FeedWatch;
import io.tollgate.admin.support.TestPostgres;
import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigFeedOptions;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.keys.ApiKey;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Config feed: every node sees admin changes within a second")
class ConfigFeedTest {

  /** The promise of the issue: a change is served everywhere within a second. */
  static final long WITHIN_MS = 1_000;

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static AdminNode node;
  static ConfigFeed feed;
  static String tenantId;

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    node = AdminNode.start(pg.uri());
    feed = new ConfigFeed(node.vertx, new ConfigFeedOptions().setCheckIntervalMs(200));
    Await.result(feed.start());
    Await.result(feed.whenReady());
    tenantId = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "feed-co")).json().getString("id");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  static JsonObject createKey(String name) {
    Response r = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId).put("name", name));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  @DisplayName("a new key is found by its secret within a second, and disabling it shows within a second")
  void keyCreateAndDisable() {
    var seen = FeedWatch.until(feed, i -> i.keys().stream().anyMatch(k -> k.name().equals("fresh")));
    JsonObject key = createKey("fresh");
    ConfigIndex index = Await.result(seen, WITHIN_MS);
    ApiKey found = index.keyBySecret(key.getString("key"));
    assertThat(found).isNotNull();
    assertThat(found.id()).isEqualTo(key.getString("id"));
    assertThat(found.enabled()).isTrue();
    assertThat(index.tenant(tenantId)).isNotNull();

    String id = key.getString("id");
    var disabled = FeedWatch.until(feed, i -> i.key(id) != null && !i.key(id).enabled());
    assertThat(node.client.patch("/admin/v1/keys/" + id, new JsonObject().put("enabled", false)).status())
        .isEqualTo(200);
    assertThat(Await.result(disabled, WITHIN_MS).keyBySecret(key.getString("key")).enabled()).isFalse();

    var rotated = FeedWatch.until(feed, i -> i.keyBySecret(key.getString("key")) == null && i.key(id) != null);
    String newSecret = node.client.post("/admin/v1/keys/" + id + "/rotate", null).json().getString("key");
    assertThat(Await.result(rotated, WITHIN_MS).keyBySecret(newSecret).id()).isEqualTo(id);

    var deleted = FeedWatch.until(feed, i -> i.key(id) == null);
    assertThat(node.client.delete("/admin/v1/keys/" + id).status()).isEqualTo(204);
    Await.result(deleted, WITHIN_MS);
    assertThat(feed.version()).isEqualTo(Await.result(node.admin.store().version()));
  }

  @Test
  @DisplayName("a new model is found by its alias with its prices within a second")
  void modelByAlias() {
    var seen = FeedWatch.until(feed, i -> i.model("feed-alias") != null);
    Response r = node.client.post("/admin/v1/models", new JsonObject().put("name", "feed-model")
        .put("aliases", new JsonArray().add("feed-alias"))
        .put("deployments", new JsonArray().add(new JsonObject().put("id", "feed-dep").put("provider", "mock")
            .put("input_price_per_mtok", 1.25))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    var model = Await.result(seen, WITHIN_MS).model("feed-alias");
    assertThat(model.name()).isEqualTo("feed-model");
    assertThat(model.deployments().get(0).inputPricePerMtok()).isEqualByComparingTo("1.25");
  }

  @Test
  @DisplayName("a change whose event never arrived is picked up by the version check or the next event's gap")
  void missedEventIsCaughtUp() {
    String id = createKey("lost-event").getString("id");
    Await.result(FeedWatch.until(feed, i -> i.key(id) != null), WITHIN_MS);
    // A change committed without publishing, as if the admin node died right after its commit.
    var missed = FeedWatch.until(feed, i -> i.key(id) != null && !i.key(id).enabled());
    Await.result(node.admin.store().sqlPool().withTransaction(conn -> conn
        .query("UPDATE config_version SET version = version + 1 WHERE id = 1 RETURNING version").execute()
        .compose(rows -> conn.preparedQuery("UPDATE api_keys SET enabled = false, version = $2 WHERE id = $1")
            .execute(Tuple.of(id, rows.iterator().next().getLong(0))))));
    ConfigIndex index = Await.result(missed, 3_000);
    assertThat(index.version()).isEqualTo(Await.result(node.admin.store().version()));
  }

  @Test
  @DisplayName("a feed started before any admin node keeps asking and loads once one answers")
  void waitsForAnAdmin() {
    Vertx other = Vertx.vertx();
    try {
      AdminNode.registerCodecs(other);
      ConfigFeed late = new ConfigFeed(other, new ConfigFeedOptions().setRetryIntervalMs(100).setRequestTimeoutMs(500));
      Await.result(late.start());
      assertThat(late.ready()).isFalse();
      assertThat(late.current()).isSameAs(ConfigIndex.EMPTY);
      AdminNode.deploy(other, pg.uri());
      Await.result(late.whenReady(), 5_000);
      assertThat(late.ready()).isTrue();
      assertThat(late.current().tenant(tenantId)).isNotNull();
    } finally {
      Await.result(other.close());
    }
  }
}
