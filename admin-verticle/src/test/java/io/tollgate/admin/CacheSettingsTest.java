package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Admin API: response-cache settings on models and keys are stored, shown, patched and checked")
class CacheSettingsTest {

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static AdminNode node;

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    node = AdminNode.start(pg.uri());
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

  private static JsonObject model(String name, JsonObject cache) {
    return new JsonObject().put("name", name).put("cache", cache).put("deployments", new JsonArray()
        .add(new JsonObject().put("id", name + "-1").put("provider", "mock")));
  }

  private static String tenant() {
    Response r = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "cache-" + System.nanoTime()));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  @Test
  @DisplayName("a model's cache block round-trips; a bad TTL or temperature bound is a 400 naming the field")
  void modelCache() {
    Response created = node.client.post("/admin/v1/models", model("cached-model",
        new JsonObject().put("ttl_seconds", 120).put("max_temperature", 0.5)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject cache = node.client.get("/admin/v1/models/cached-model").json().getJsonObject("cache");
    assertThat(cache.getLong("ttl_seconds")).isEqualTo(120);
    assertThat(cache.getDouble("max_temperature")).isEqualTo(0.5);

    Response zero = node.client.post("/admin/v1/models", model("bad-ttl", new JsonObject().put("ttl_seconds", 0)));
    assertThat(zero.status()).as(zero.body()).isEqualTo(400);
    assertThat(zero.error().getString("param")).isEqualTo("cache.ttl_seconds");
    Response hot = node.client.post("/admin/v1/models", model("bad-temp", new JsonObject().put("max_temperature", 3)));
    assertThat(hot.status()).as(hot.body()).isEqualTo(400);
    assertThat(hot.error().getString("param")).isEqualTo("cache.max_temperature");
  }

  @Test
  @DisplayName("a key's cache block is stored, shown, replaced by PATCH (like every nested field), refused when out of range")
  void keyCache() {
    String tenant = tenant();
    Response created = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenant)
        .put("name", "cached-key").put("cache", new JsonObject().put("ttl_seconds", 30)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.json().getJsonObject("cache").getLong("ttl_seconds")).isEqualTo(30);

    Response patched = node.client.patch("/admin/v1/keys/" + id, new JsonObject()
        .put("cache", new JsonObject().put("enabled", false)));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    JsonObject shown = node.client.get("/admin/v1/keys/" + id).json().getJsonObject("cache");
    assertThat(shown.getBoolean("enabled")).isFalse();
    assertThat(shown.containsKey("ttl_seconds")).isFalse();

    Response plain = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenant).put("name", "plain"));
    assertThat(plain.json().containsKey("cache")).isFalse();
    Response bad = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenant).put("name", "bad")
        .put("cache", new JsonObject().put("ttl_seconds", -1)));
    assertThat(bad.status()).as(bad.body()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("cache.ttl_seconds");
  }
}
