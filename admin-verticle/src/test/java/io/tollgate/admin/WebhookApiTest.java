package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Admin API: webhooks for budget alerts, and the alerts that fired")
class WebhookApiTest {

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

  @Test
  @DisplayName("a webhook is created, listed, read and deleted; its secret is stored for signing but never answered")
  void lifecycle() {
    Response created = node.client.post("/admin/v1/webhooks", json("url", "https://ops.example.com/hooks/budget",
        "secret", "whsec-1", "events", List.of("budget.threshold"), "tenant_id", "tn-1"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject hook = created.json();
    String id = hook.getString("id");
    assertThat(id).startsWith("wh_");
    assertThat(hook.getString("url")).isEqualTo("https://ops.example.com/hooks/budget");
    assertThat(hook.getJsonArray("events")).containsExactly("budget.threshold");
    assertThat(hook.getString("tenant_id")).isEqualTo("tn-1");
    assertThat(hook.getBoolean("has_secret")).isTrue();
    assertThat(created.body()).doesNotContain("whsec-1");
    Row stored = Await.result(node.admin.store().sqlPool().query("SELECT secret FROM webhooks").execute())
        .iterator().next();
    assertThat(stored.getString(0)).isEqualTo("whsec-1");

    Response all = node.client.post("/admin/v1/webhooks", json("url", "http://127.0.0.1:9/all"));
    assertThat(all.status()).isEqualTo(201);
    assertThat(all.json().getJsonArray("events")).isEmpty();
    assertThat(all.json().getBoolean("has_secret")).isFalse();

    JsonArray listed = node.client.get("/admin/v1/webhooks").json().getJsonArray("data");
    assertThat(listed).hasSize(2);
    assertThat(listed.encode()).doesNotContain("whsec-1");
    assertThat(node.client.get("/admin/v1/webhooks/" + id).json().getString("url"))
        .isEqualTo("https://ops.example.com/hooks/budget");
    assertThat(node.client.delete("/admin/v1/webhooks/" + id).status()).isEqualTo(204);
    assertThat(node.client.get("/admin/v1/webhooks/" + id).status()).isEqualTo(404);
    assertThat(node.client.delete("/admin/v1/webhooks/" + id).status()).isEqualTo(404);
    assertThat(node.client.delete("/admin/v1/webhooks/" + all.json().getString("id")).status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a bad webhook is a 400 naming the field")
  void badInput() {
    assertParam(Map.of("url", "ftp://example.com/x"), "url");
    assertParam(Map.of("url", "not a url"), "url");
    assertParam(Map.of("url", "/relative"), "url");
    assertParam(Map.of("secret", "x"), "url");
    assertParam(Map.of("url", "https://example.com", "events", List.of("budget.everything")), "events");
    assertParam(Map.of("url", "https://example.com", "secret", ""), "secret");
    Response unknown = node.client.post("/admin/v1/webhooks", json("url", "https://example.com", "colour", "red"));
    assertThat(unknown.status()).isEqualTo(400);
  }

  private static JsonObject json(Object... pairs) {
    JsonObject out = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private static void assertParam(Map<String, Object> body, String param) {
    Response r = node.client.post("/admin/v1/webhooks", new JsonObject(body));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error().getString("param")).isEqualTo(param);
  }

  @Test
  @DisplayName("fired alerts are listed newest first, money as decimal strings")
  void alerts() {
    Await.result(node.admin.store().sqlPool().query("INSERT INTO budget_alerts (id, kind, scope, scope_id, tenant_id, "
        + "period, period_start, threshold, spend_usd, limit_usd, fired_at) VALUES "
        + "('a1', 'threshold', 'key', 'key-1', 'tn-1', 'daily', '2026-11-27T00:00:00Z', 80, 8.5, 10, "
        + "'2026-11-27T10:00:00Z'), ('a2', 'spike', 'tenant', 'tn-1', 'tn-1', 'hour', '2026-11-27T11:00:00Z', 0, 12, "
        + "0.5, '2026-11-27T11:30:00Z')").execute());
    Response r = node.client.get("/admin/v1/alerts?from=2026-11-27&to=2026-11-28");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray data = r.json().getJsonArray("data");
    assertThat(data).hasSize(2);
    JsonObject spike = data.getJsonObject(0);
    assertThat(spike.getString("type")).isEqualTo("budget.spike");
    assertThat(spike.getString("tenant_id")).isEqualTo("tn-1");
    assertThat(spike.getString("average_usd")).isEqualTo("0.5");
    JsonObject threshold = data.getJsonObject(1);
    assertThat(threshold.getString("key_id")).isEqualTo("key-1");
    assertThat(threshold.getInteger("threshold_percent")).isEqualTo(80);
    assertThat(threshold.getString("spend_usd")).isEqualTo("8.5");
    assertThat(threshold.getString("budget_usd")).isEqualTo("10");
    assertThat(node.client.get("/admin/v1/alerts?from=2026-11-27&to=2026-11-28&limit=1").json()
        .getJsonArray("data")).hasSize(1);
    assertThat(node.client.get("/admin/v1/alerts?limit=0").status()).isEqualTo(400);
    assertThat(node.client.get("/admin/v1/alerts?from=yesterday").status()).isEqualTo(400);
  }
}
