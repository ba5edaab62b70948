package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.TestPostgres;
import io.tollgate.api.keys.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Admin API: tenants and keys")
class AdminApiTest {

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

  static String tenant(String name) {
    Response r = node.client.post("/admin/v1/tenants", new JsonObject().put("name", name));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  @Test
  @DisplayName("a tenant is created, listed, read, changed and deleted")
  void tenantRoundTrip() {
    Response created = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "acme")
        .put("limits", new JsonObject().put("rpm", 600).put("budget_usd", new JsonObject().put("monthly", 250.5))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.json().getString("name")).isEqualTo("acme");
    assertThat(created.json().getBoolean("enabled")).isTrue();
    assertThat(created.json().getJsonObject("limits").getInteger("rpm")).isEqualTo(600);

    Response read = node.client.get("/admin/v1/tenants/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().getJsonObject("limits").getJsonObject("budget_usd").getDouble("monthly")).isEqualTo(250.5);
    assertThat(node.client.get("/admin/v1/tenants").json().getJsonArray("data").stream()
        .map(t -> ((JsonObject) t).getString("id"))).contains(id);

    Response patched = node.client.patch("/admin/v1/tenants/" + id, new JsonObject().put("enabled", false));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().getBoolean("enabled")).isFalse();
    assertThat(patched.json().getJsonObject("limits").getInteger("rpm")).as("untouched by the patch").isEqualTo(600);
    assertThat(patched.json().getLong("version")).isGreaterThan(created.json().getLong("version"));

    assertThat(node.client.delete("/admin/v1/tenants/" + id).status()).isEqualTo(204);
    assertThat(node.client.get("/admin/v1/tenants/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a key's secret is shown once, only its hash is stored, and it can be changed, rotated and deleted")
  void keyRoundTrip() {
    String tenantId = tenant("keys-co");
    Response created = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId)
        .put("name", "ci").put("models", new JsonArray().add("gpt-4o")).put("rpm", 60)
        .put("token_quota", new JsonObject().put("daily", 100000)).put("expires_at", "2030-01-01T00:00:00Z")
        .put("ip_allow", new JsonArray().add("10.0.0.0/8"))
        .put("concurrency", new JsonObject().put("max_concurrent", 3)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject key = created.json();
    String secret = key.getString("key");
    String id = key.getString("id");
    assertThat(secret).startsWith(Secrets.PREFIX);
    assertThat(key.getString("key_hint")).isEqualTo(secret.substring(0, 7) + "…");
    assertThat(key.getInteger("rpm")).isEqualTo(60);
    assertThat(key.getString("expires_at")).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(key.getJsonObject("concurrency").getInteger("max_concurrent")).isEqualTo(3);

    Response read = node.client.get("/admin/v1/keys/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).doesNotContain(secret).doesNotContain(Secrets.hash(secret));
    assertThat(read.json().containsKey("key")).isFalse();
    assertThat(node.client.get("/admin/v1/keys?tenant_id=" + tenantId).json().getJsonArray("data")).hasSize(1);

    String row = storedRow(id);
    assertThat(row).doesNotContain(secret).contains(Secrets.hash(secret));

    Response disabled = node.client.patch("/admin/v1/keys/" + id, new JsonObject().put("enabled", false)
        .put("tpm", 5000).putNull("expires_at"));
    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
    assertThat(disabled.json().getBoolean("enabled")).isFalse();
    assertThat(disabled.json().getInteger("tpm")).isEqualTo(5000);
    assertThat(disabled.json().getInteger("rpm")).isEqualTo(60);
    assertThat(disabled.json().containsKey("expires_at")).isFalse();

    Response rotated = node.client.post("/admin/v1/keys/" + id + "/rotate", null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String newSecret = rotated.json().getString("key");
    assertThat(newSecret).startsWith(Secrets.PREFIX).isNotEqualTo(secret);
    assertThat(storedRow(id)).contains(Secrets.hash(newSecret)).doesNotContain(Secrets.hash(secret));

    assertThat(node.client.delete("/admin/v1/keys/" + id).status()).isEqualTo(204);
    assertThat(node.client.get("/admin/v1/keys/" + id).status()).isEqualTo(404);
  }

  private static String storedRow(String id) {
    var rows = Await.result(node.admin.store().sqlPool()
        .preparedQuery("SELECT row_to_json(k)::text FROM api_keys k WHERE id = $1").execute(Tuple.of(id)));
    Row row = rows.iterator().next();
    return row.getString(0);
  }

  @Test
  @DisplayName("requests without the right admin token get 401 in the OpenAI envelope")
  void unauthorized() {
    Response none = node.client.send("GET", "/admin/v1/tenants", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(none.error().getString("message")).contains("admin token");
    Response wrong = node.client.send("POST", "/admin/v1/keys", "{}", "not-the-token");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(node.client.send("GET", "/admin/openapi.json", null, null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("bad bodies get 400 naming the field: malformed JSON, unknown field, missing field, negative limit")
  void badRequests() {
    Response malformed = node.client.post("/admin/v1/tenants", "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error().getString("code")).isEqualTo("invalid_json");

    Response unknown = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "x").put("colour", "red"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("param")).isEqualTo("colour");

    Response missing = node.client.post("/admin/v1/keys", new JsonObject().put("name", "k"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.error().getString("param")).isEqualTo("tenant_id");

    String tenantId = tenant("validation-co");
    Response negative = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId)
        .put("name", "k").put("budget_usd", new JsonObject().put("daily", -1)));
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.error().getString("param")).isEqualTo("budget_usd.daily");

    Response wrongType = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId)
        .put("name", "k").put("rpm", "many"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.error().getString("param")).isEqualTo("rpm");

    Response negativeRpm = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId)
        .put("name", "k").put("rpm", -5));
    assertThat(negativeRpm.status()).isEqualTo(400);
    assertThat(negativeRpm.error().getString("param")).isEqualTo("rpm");

    Response badPatch = node.client.patch("/admin/v1/tenants/" + tenantId, new JsonObject().put("id", "other"));
    assertThat(badPatch.status()).isEqualTo(400);
    assertThat(badPatch.error().getString("param")).isEqualTo("id");
  }

  @Test
  @DisplayName("token counts are 64-bit: a 5-billion daily quota is kept exactly; one out of range is a 400 naming the field")
  void largeCounts() {
    String tenantId = tenant("big-counts-co");
    Response big = node.client.post("/admin/v1/keys", "{\"tenant_id\": \"" + tenantId + "\", \"name\": \"big\","
        + " \"tpm\": 3000000000, \"token_quota\": {\"daily\": 5000000000}}");
    assertThat(big.status()).as(big.body()).isEqualTo(201);
    Response read = node.client.get("/admin/v1/keys/" + big.json().getString("id"));
    assertThat(read.json().getJsonObject("token_quota").getLong("daily")).isEqualTo(5_000_000_000L);
    assertThat(read.json().getLong("tpm")).isEqualTo(3_000_000_000L);

    String expected = "must be a whole number between 0 and 9223372036854775807";
    Response tooBig = node.client.post("/admin/v1/keys", "{\"tenant_id\": \"" + tenantId + "\", \"name\": \"k\","
        + " \"token_quota\": {\"daily\": 99999999999999999999}}");
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.error().getString("code")).isEqualTo("invalid_request");
    assertThat(tooBig.error().getString("param")).isEqualTo("token_quota.daily");
    assertThat(tooBig.error().getString("message")).isEqualTo("'token_quota.daily': " + expected);

    Response fraction = node.client.post("/admin/v1/tenants", "{\"name\": \"t\", \"limits\": {\"tpm\": 2.5}}");
    assertThat(fraction.status()).isEqualTo(400);
    assertThat(fraction.error().getString("param")).isEqualTo("limits.tpm");
    assertThat(fraction.error().getString("message")).isEqualTo("'limits.tpm': " + expected);
  }

  @Test
  @DisplayName("unknown ids get 404 and duplicate names get 409")
  void notFoundAndConflict() {
    assertThat(node.client.get("/admin/v1/keys/key_nope").status()).isEqualTo(404);
    assertThat(node.client.patch("/admin/v1/keys/key_nope", new JsonObject().put("enabled", false)).status())
        .isEqualTo(404);
    Response noTenant = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", "tn_nope").put("name", "k"));
    assertThat(noTenant.status()).isEqualTo(404);
    assertThat(noTenant.error().getString("code")).isEqualTo("not_found");
    assertThat(node.client.get("/admin/v1/nothing-here").status()).isEqualTo(404);

    String tenantId = tenant("dup-co");
    Response dupTenant = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "dup-co"));
    assertThat(dupTenant.status()).isEqualTo(409);
    assertThat(dupTenant.error().getString("param")).isEqualTo("name");

    JsonObject key = new JsonObject().put("tenant_id", tenantId).put("name", "same");
    assertThat(node.client.post("/admin/v1/keys", key).status()).isEqualTo(201);
    Response dupKey = node.client.post("/admin/v1/keys", key);
    assertThat(dupKey.status()).isEqualTo(409);
    assertThat(dupKey.error().getString("code")).isEqualTo("conflict");
    Response busyTenant = node.client.delete("/admin/v1/tenants/" + tenantId);
    assertThat(busyTenant.status()).as("a tenant with keys is not deleted").isEqualTo(409);
  }

  @Test
  @DisplayName("the admin role refuses to start without a token")
  void needsToken() {
    Throwable failure = Await.failure(node.vertx.deployVerticle(new AdminVerticle(new AdminOptions().setPort(0)
        .setPostgresUri(pg.uri()))));
    assertThat(failure).hasMessageContaining("token");
  }

  @Test
  @DisplayName("the OpenAPI document is valid JSON and describes every admin endpoint")
  void openApi() {
    Response r = node.client.get("/admin/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    JsonObject paths = r.json().getJsonObject("paths");
    assertThat(r.json().getString("openapi")).startsWith("3.");
    assertThat(paths.fieldNames()).contains("/admin/v1/tenants", "/admin/v1/tenants/{id}", "/admin/v1/keys",
        "/admin/v1/keys/{id}", "/admin/v1/keys/{id}/rotate", "/admin/v1/models", "/admin/v1/models/{name}",
        "/admin/v1/config", "/admin/openapi.json", "/admin/v1/usage", "/admin/v1/requests/{request_id}");
    assertThat(paths.getJsonObject("/admin/v1/keys/{id}").fieldNames()).contains("get", "patch", "delete");
    assertThat(paths.getJsonObject("/admin/v1/config").fieldNames()).contains("get", "put");
  }
}
