package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.TestPostgres;
import io.tollgate.api.keys.Secrets;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Audit API: admin actions with before/after and no secret, stable cursor paging, JSON-lines export")
class AuditApiTest {

  static final String LITERAL = "sk-live-audit-never-stored-7781";
  static final String LITERAL_2 = "sk-live-audit-second-key-9924";

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static AdminNode node;

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    node = AdminNode.start(pg.uri(), SecretBox.generateKey());
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

  private static Response ok(Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r;
  }

  /** Every admin record about {@code targetId}, oldest first. */
  private static List<JsonObject> adminRecords(String targetId) {
    JsonArray data = ok(node.client.get("/admin/v1/audit?kind=admin&limit=1000"), 200).json().getJsonArray("data");
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonObject r = data.getJsonObject(i);
      if (targetId.equals(r.getString("target_id"))) {
        out.add(r);
      }
    }
    return out;
  }

  @Test
  @DisplayName("each admin change is one record with who, what, before and after; no key secret, hash or upstream key")
  void adminChanges() {
    String tenant = ok(node.client.post("/admin/v1/tenants", new JsonObject().put("name", "audited-team")), 201)
        .json().getString("id");
    ok(node.client.patch("/admin/v1/tenants/" + tenant, new JsonObject().put("enabled", false)
        .put("audit", new JsonObject().put("store_prompts", true))), 200);
    JsonObject key = ok(node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenant)
        .put("name", "k1")), 201).json();
    String secret = key.getString("key");
    String rotated = ok(node.client.post("/admin/v1/keys/" + key.getString("id") + "/rotate", null), 200).json()
        .getString("key");
    JsonObject model = new JsonObject().put("name", "audited-model").put("deployments", new JsonArray().add(
        new JsonObject().put("id", "aud-1").put("provider", "openai").put("base_url", "http://127.0.0.1:9/v1")
            .put("api_key", LITERAL)));
    ok(node.client.post("/admin/v1/models", model), 201);
    model.getJsonArray("deployments").getJsonObject(0).put("api_key", LITERAL_2);
    ok(node.client.put("/admin/v1/models/audited-model", model), 200);
    ok(node.client.put("/admin/v1/models/audited-model/canary", new JsonObject().put("percent", 10)
        .put("policy", "weighted")), 200);
    ok(node.client.delete("/admin/v1/keys/" + key.getString("id")), 204);
    // A refused change commits nothing, not even its record.
    ok(node.client.patch("/admin/v1/tenants/" + tenant, new JsonObject().put("name", "")), 400);

    List<JsonObject> tenantRecords = adminRecords(tenant);
    assertThat(tenantRecords).extracting(r -> r.getString("action")).containsExactly("tenant.create", "tenant.update");
    JsonObject update = tenantRecords.get(1);
    assertThat(update.getString("actor")).isEqualTo("admin");
    assertThat(update.getString("target_kind")).isEqualTo("tenant");
    assertThat(update.getString("tenant_id")).isEqualTo(tenant);
    assertThat(update.getJsonObject("before").getBoolean("enabled")).isTrue();
    assertThat(update.getJsonObject("after").getBoolean("enabled")).isFalse();
    assertThat(update.getJsonObject("after").getJsonObject("audit").getBoolean("store_prompts")).isTrue();
    assertThat(tenantRecords.get(0).getValue("before")).isNull();

    List<JsonObject> keyRecords = adminRecords(key.getString("id"));
    assertThat(keyRecords).extracting(r -> r.getString("action")).containsExactly("key.create", "key.rotate",
        "key.delete");
    assertThat(keyRecords.get(2).getValue("after")).isNull();
    assertThat(keyRecords).allMatch(r -> tenant.equals(r.getString("tenant_id")));

    List<JsonObject> modelRecords = adminRecords("audited-model");
    assertThat(modelRecords).extracting(r -> r.getString("action")).containsExactly("model.create", "model.put",
        "model.canary.put");
    JsonObject canary = modelRecords.get(2);
    assertThat(canary.getJsonObject("before").getValue("canary")).isNull();
    assertThat(canary.getJsonObject("after").getJsonObject("canary").getInteger("percent")).isEqualTo(10);
    assertThat(modelRecords.get(1).getJsonObject("after").getJsonArray("deployments").getJsonObject(0)
        .getString("api_key")).isEqualTo("[redacted]");

    String all = ok(node.client.get("/admin/v1/audit?kind=admin&limit=1000"), 200).body();
    assertThat(all).doesNotContain(secret, rotated, Secrets.hash(secret), Secrets.hash(rotated), LITERAL, LITERAL_2,
        "secret:aud-1");
  }

  @Test
  @DisplayName("a config import is one record with the models and limits it changed, before and after")
  void configImport() {
    String yaml = "models:\n  - name: imported-audit\n    deployments:\n      - {id: imp-1, provider: mock}\n"
        + "limits:\n  rpm: 900\n";
    ok(node.client.put("/admin/v1/config", yaml), 200);
    ok(node.client.put("/admin/v1/config", yaml), 200);
    JsonArray data = ok(node.client.get("/admin/v1/audit?kind=admin&limit=1000"), 200).json().getJsonArray("data");
    List<JsonObject> imports = new ArrayList<>();
    data.forEach(r -> {
      if ("config.import".equals(((JsonObject) r).getString("action"))) {
        imports.add((JsonObject) r);
      }
    });
    assertThat(imports).hasSize(2);
    JsonObject first = imports.get(0).getJsonObject("after");
    assertThat(first.getJsonArray("models").getJsonObject(0).getString("name")).isEqualTo("imported-audit");
    assertThat(first.getJsonObject("limits").getLong("rpm")).isEqualTo(900);
    assertThat(imports.get(0).getJsonObject("before").getJsonArray("models")).isEmpty();
    // The same file again changes nothing, and its record says so.
    assertThat(imports.get(1).getJsonObject("after").getJsonArray("models")).isEmpty();
    assertThat(imports.get(1).getJsonObject("after").containsKey("limits")).isFalse();
  }

  @Test
  @DisplayName("a tenant's redaction rules are checked: a bad or catastrophic regex is a 400 naming audit.redact[i]")
  void redactionRulesChecked() {
    Response bad = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "bad-regex")
        .put("audit", new JsonObject().put("store_prompts", true).put("redact", new JsonArray().add("ok").add("(x"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("audit.redact[1]");
    Response slow = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "slow-regex")
        .put("audit", new JsonObject().put("store_prompts", true).put("redact", new JsonArray().add("(a+)+$"))));
    assertThat(slow.status()).isEqualTo(400);
    assertThat(slow.error().getString("param")).isEqualTo("audit.redact[0]");
    assertThat(slow.error().getString("message")).contains("catastrophic backtracking");
    Response unknown = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "typo")
        .put("audit", new JsonObject().put("store_prompt", true)));
    assertThat(unknown.status()).isEqualTo(400);
    JsonObject good = ok(node.client.post("/admin/v1/tenants", new JsonObject().put("name", "good-regex")
        .put("audit", new JsonObject().put("store_prompts", true).put("redact", new JsonArray().add("ACCT-[0-9]+")))),
        201).json();
    assertThat(good.getJsonObject("audit").getJsonArray("redact").getString(0)).isEqualTo("ACCT-[0-9]+");
    JsonObject plain = ok(node.client.post("/admin/v1/tenants", new JsonObject().put("name", "plain")), 201).json();
    assertThat(plain.getJsonObject("audit").getBoolean("store_prompts")).isFalse();
  }

  @Test
  @DisplayName("cursor paging returns every record of a tenant exactly once, in order, and the export equals the pages")
  void pagingAndExport() {
    Pool pool = node.admin.store().sqlPool();
    LocalDate day = LocalDate.parse("2026-03-02");
    for (String table : List.of("audit_requests", "audit_admin")) {
      for (int d = 0; d < 2; d++) {
        Await.result(pool.preparedQuery("SELECT tollgate_day_partition($1, $2)").execute(Tuple.of(table,
            day.plusDays(d))));
      }
    }
    Set<String> expected = new HashSet<>();
    List<Tuple> requests = new ArrayList<>();
    List<Tuple> admins = new ArrayList<>();
    for (int i = 0; i < 53; i++) {
      // Several records share a timestamp (and an admin record shares it with requests): the order must still be total.
      OffsetDateTime at = day.atTime(10, 0).atOffset(ZoneOffset.UTC).plusMinutes(i / 4 * 50);
      String tenant = i % 5 == 0 ? "tn-other" : "tn-paged";
      requests.add(Tuple.of("req-page-" + i, at, tenant));
      if (tenant.equals("tn-paged")) {
        expected.add("req-page-" + i);
      }
      if (i % 6 == 0) {
        admins.add(Tuple.of("adm-page-" + i, at, tenant));
        if (tenant.equals("tn-paged")) {
          expected.add("adm-page-" + i);
        }
      }
    }
    Await.result(pool.preparedQuery("INSERT INTO audit_requests (request_id, started_at, ended_at, tenant_id, attempt, "
        + "status, latency_ms, ttft_ms, trace) VALUES ($1, $2, $2, $3, 1, 'ok', 5, 1, '[]')").executeBatch(requests));
    Await.result(pool.preparedQuery("INSERT INTO audit_admin (id, at, actor, action, target_kind, target_id, tenant_id, "
        + "after) VALUES ($1, $2, 'admin', 'tenant.update', 'tenant', $3, $3, '{\"enabled\":true}')")
        .executeBatch(admins));

    String range = "from=2026-03-02&to=2026-03-04";
    List<JsonObject> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = ok(node.client.get("/admin/v1/audit?tenant_id=tn-paged&limit=7&" + range
          + (cursor == null ? "" : "&cursor=" + cursor)), 200).json();
      page.getJsonArray("data").forEach(r -> paged.add((JsonObject) r));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 100);
    List<String> ids = paged.stream().map(r -> r.getString("id")).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new HashSet<>(ids)).isEqualTo(expected);
    assertThat(pages).isEqualTo((expected.size() + 6) / 7);
    for (int i = 1; i < paged.size(); i++) {
      assertThat(paged.get(i).getString("at")).isGreaterThanOrEqualTo(paged.get(i - 1).getString("at"));
    }
    assertThat(paged).allMatch(r -> "tn-paged".equals(r.getString("tenant_id")));

    Response export = ok(node.client.get("/admin/v1/tenants/tn-paged/audit/export?" + range), 200);
    List<JsonObject> lines = export.body().lines().map(JsonObject::new).toList();
    assertThat(lines).isEqualTo(paged);

    List<JsonObject> requestsOnly = ok(node.client.get("/admin/v1/audit?tenant_id=tn-paged&kind=request&limit=1000&"
        + range), 200).json().getJsonArray("data").stream().map(r -> (JsonObject) r).toList();
    assertThat(requestsOnly).isNotEmpty().allMatch(r -> r.getString("kind").equals("request"));
    assertThat(requestsOnly.get(0).getValue("prompt")).isNull();
  }

  @Test
  @DisplayName("a large export streams every record; a client that leaves midway frees the export's database connection")
  void largeExportAndClientGone() throws Exception {
    Pool pool = node.admin.store().sqlPool();
    Await.result(pool.query("SELECT tollgate_day_partition('audit_requests', '2026-04-07')").execute());
    Await.result(pool.query("INSERT INTO audit_requests (request_id, started_at, ended_at, tenant_id, attempt, status, "
        + "latency_ms, ttft_ms, trace) SELECT 'req-big-' || i, timestamptz '2026-04-07 00:00:00+00' + i * interval "
        + "'1 ms', timestamptz '2026-04-07 00:00:00+00' + i * interval '1 ms', 'tn-big', 1, 'ok', 5, 1, '[]' "
        + "FROM generate_series(1, 30000) AS i").execute());
    Response all = ok(node.client.get("/admin/v1/tenants/tn-big/audit/export"), 200);
    assertThat(all.body().lines().count()).isEqualTo(30_000);

    // A client that stops reading: the export fills its socket, pauses its database cursor (the
    // transaction waits, idle), and must let go of it once the client hangs up.
    HttpClientAgent http = node.vertx.createHttpClient();
    CompletableFuture<io.vertx.core.http.HttpClientResponse> stalled = new CompletableFuture<>();
    http.request(new RequestOptions().setHost("127.0.0.1").setPort(node.admin.actualPort())
            .setURI("/admin/v1/tenants/tn-big/audit/export").putHeader("authorization", "Bearer " + AdminNode.TOKEN))
        .compose(HttpClientRequest::send)
        .onSuccess(resp -> {
          resp.pause();
          stalled.complete(resp);
        })
        .onFailure(stalled::completeExceptionally);
    io.vertx.core.http.HttpClientResponse response = stalled.get(10, TimeUnit.SECONDS);
    assertThat(awaitIdleTransactions(pool, n -> n > 0)).isPositive();
    response.request().connection().close();
    assertThat(awaitIdleTransactions(pool, n -> n == 0)).isZero();
    Await.result(http.close());
  }

  /** Polls (up to 10 s) the sessions idle inside a transaction until {@code until} accepts their count. */
  private static long awaitIdleTransactions(Pool pool, java.util.function.LongPredicate until) throws Exception {
    long n = -1;
    for (int i = 0; i < 200; i++) {
      n = Await.result(pool.query("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")
          .execute()).iterator().next().getLong(0);
      if (until.test(n)) {
        return n;
      }
      Thread.sleep(50);
    }
    return n;
  }

  @Test
  @DisplayName("bad audit parameters are a 400 naming the parameter")
  void badInput() {
    for (String[] c : new String[][] {{"from=yesterday", "from"}, {"to=2026-13-01", "to"},
        {"from=2026-03-02&to=2026-03-01", "from"}, {"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=ten", "limit"},
        {"kind=billing", "kind"}, {"cursor=not-a-cursor", "cursor"}, {"cursor=YTF8eHx5fHo", "cursor"}}) {
      Response r = node.client.get("/admin/v1/audit?" + c[0]);
      assertThat(r.status()).as(c[0]).isEqualTo(400);
      assertThat(r.error().getString("param")).as(c[0]).isEqualTo(c[1]);
    }
    Response r = node.client.get("/admin/v1/tenants/x/audit/export?from=nope");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getString("param")).isEqualTo("from");
  }
}
