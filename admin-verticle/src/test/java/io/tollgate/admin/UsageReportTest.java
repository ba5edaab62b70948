package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports over rollup rows as the billing role writes them (that role's own tests prove the
 * rollups; the launcher's end-to-end test runs the whole chain).
 */
@DisplayName("Admin API: usage reports and ledger records")
class UsageReportTest {

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static AdminNode node;
  static final List<Object[]> ROLLUPS = new ArrayList<>();

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    node = AdminNode.start(pg.uri());
    Pool pool = node.admin.store().sqlPool();
    String[] hours = {"2026-11-26T23:00:00Z", "2026-11-27T00:00:00Z", "2026-11-27T01:00:00Z", "2026-11-28T05:00:00Z"};
    int i = 0;
    for (String hour : hours) {
      for (String tenant : new String[] {"tn-a", "tn-b"}) {
        for (String model : new String[] {"gpt", "claude"}) {
          i++;
          ROLLUPS.add(new Object[] {OffsetDateTime.parse(hour), tenant, "key-" + tenant, model, "dep-" + model,
              model.equals("gpt") ? "openai" : "anthropic", (long) i, 100L * i, 10L * i, (long) i, 2L * i,
              new BigDecimal("0.000000001").multiply(BigDecimal.valueOf(i * 1234567L))});
        }
      }
    }
    for (Object[] r : ROLLUPS) {
      Await.result(pool.preparedQuery("INSERT INTO usage_hourly (hour, tenant_id, key_id, model, deployment_id, "
          + "provider, requests, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, "
          + "cache_write_tokens, cost_usd) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12)")
          .execute(Tuple.from(r)));
    }
    Await.result(pool.query("SELECT tollgate_day_partition('usage_ledger', '2026-11-27')").execute());
    Await.result(pool.query("INSERT INTO usage_ledger (request_id, started_at, ended_at, tenant_id, key_id, model, "
        + "deployment_id, provider, attempt, policy, routing_version, propensity, prompt_tokens, completion_tokens, "
        + "cached_tokens, reasoning_tokens, cache_write_tokens, estimated, latency_ms, ttft_ms, status, error, "
        + "error_side, cancel_reason, trace, cost_usd) VALUES ('req-42', '2026-11-27T10:00:00Z', "
        + "'2026-11-27T10:00:01.5Z', 'tn-a', 'key-tn-a', 'gpt', 'dep-gpt', 'openai', 1, 'priority', 'v2', 1, 30, 7, "
        + "0, 2, 0, false, 1500, 200, 'ok', null, null, null, "
        + "'[{\"deploymentId\":\"dep-x\",\"error\":\"UPSTREAM_ERROR\"},{\"deploymentId\":\"dep-gpt\"}]', "
        + "0.0000123)").execute());
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
  @DisplayName("grouped by tenant and model over a time range, rows and totals equal a direct sum of the rollups")
  void grouped() {
    Response r = node.client.get("/admin/v1/usage?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z"
        + "&group_by=tenant,model");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Map<String, long[]> expected = new HashMap<>();
    Map<String, BigDecimal> expectedCost = new HashMap<>();
    BigDecimal total = BigDecimal.ZERO;
    long requests = 0;
    for (Object[] row : ROLLUPS) {
      OffsetDateTime hour = (OffsetDateTime) row[0];
      if (hour.isBefore(OffsetDateTime.parse("2026-11-27T00:00:00Z"))
          || !hour.isBefore(OffsetDateTime.parse("2026-11-28T00:00:00Z"))) {
        continue;
      }
      String k = row[1] + "/" + row[3];
      long[] sums = expected.computeIfAbsent(k, x -> new long[2]);
      sums[0] += (long) row[6];
      sums[1] += (long) row[7];
      expectedCost.merge(k, (BigDecimal) row[11], BigDecimal::add);
      total = total.add((BigDecimal) row[11]);
      requests += (long) row[6];
    }
    JsonArray rows = r.json().getJsonArray("rows");
    assertThat(rows).hasSize(4);
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      String k = row.getString("tenant_id") + "/" + row.getString("model");
      assertThat(row.getLong("requests")).isEqualTo(expected.get(k)[0]);
      assertThat(row.getLong("prompt_tokens")).isEqualTo(expected.get(k)[1]);
      assertThat(new BigDecimal(row.getString("cost_usd"))).isEqualByComparingTo(expectedCost.get(k));
      assertThat(row.fieldNames()).contains("completion_tokens", "cached_tokens", "reasoning_tokens");
    }
    JsonObject totals = r.json().getJsonObject("totals");
    assertThat(totals.getLong("requests")).isEqualTo(requests);
    assertThat(totals.getValue("cost_usd")).isInstanceOf(String.class);
    assertThat(new BigDecimal(totals.getString("cost_usd"))).isEqualByComparingTo(total);
  }

  @Test
  @DisplayName("grouped by day in UTC, filtered by tenant, and CSV carries the same numbers as JSON")
  void csvAgrees() {
    String query = "/admin/v1/usage?from=2026-11-26&to=2026-11-29&group_by=day,deployment&tenant_id=tn-b";
    Response json = node.client.get(query + "&format=json");
    Response csv = node.client.get(query + "&format=csv");
    assertThat(json.status()).as(json.body()).isEqualTo(200);
    assertThat(csv.status()).as(csv.body()).isEqualTo(200);
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0]).isEqualTo("day,deployment_id,requests,prompt_tokens,completion_tokens,cached_tokens,"
        + "reasoning_tokens,cost_usd");
    JsonArray rows = json.json().getJsonArray("rows");
    assertThat(lines).hasSize(rows.size() + 1);
    assertThat(rows).hasSize(6); // 3 days x 2 deployments
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      assertThat(lines[i + 1]).isEqualTo(String.join(",", row.getString("day"), row.getString("deployment_id"),
          row.getLong("requests").toString(), row.getLong("prompt_tokens").toString(),
          row.getLong("completion_tokens").toString(), row.getLong("cached_tokens").toString(),
          row.getLong("reasoning_tokens").toString(), row.getString("cost_usd")));
    }
    assertThat(rows.getJsonObject(0).getString("day")).isEqualTo("2026-11-26T00:00:00Z");
  }

  @Test
  @DisplayName("a request's ledger record has every field, its trace as JSON and its cost as a decimal string")
  void requestRecord() {
    Response r = node.client.get("/admin/v1/requests/req-42");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject rec = r.json();
    assertThat(rec.getString("request_id")).isEqualTo("req-42");
    assertThat(rec.getString("started_at")).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(rec.getLong("prompt_tokens")).isEqualTo(30);
    assertThat(rec.getString("cost_usd")).isEqualTo("0.0000123");
    assertThat(rec.getJsonArray("trace").getJsonObject(0).getString("error")).isEqualTo("UPSTREAM_ERROR");
    assertThat(rec.getString("status")).isEqualTo("ok");
  }

  @Test
  @DisplayName("unknown requests are 404; bad parameters are 400 naming the parameter; no token is 401")
  void errors() {
    Response missing = node.client.get("/admin/v1/requests/req-nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error().getString("code")).isEqualTo("not_found");
    Response group = node.client.get("/admin/v1/usage?group_by=tenant,color");
    assertThat(group.status()).isEqualTo(400);
    assertThat(group.error().getString("param")).isEqualTo("group_by");
    Response from = node.client.get("/admin/v1/usage?from=yesterday");
    assertThat(from.status()).isEqualTo(400);
    assertThat(from.error().getString("param")).isEqualTo("from");
    Response format = node.client.get("/admin/v1/usage?format=xml");
    assertThat(format.status()).isEqualTo(400);
    Response noToken = node.client.send("GET", "/admin/v1/usage", null, null);
    assertThat(noToken.status()).isEqualTo(401);
  }

  @Test
  @DisplayName("a range with no usage answers empty rows and zero totals")
  void empty() {
    Response r = node.client.get("/admin/v1/usage?from=2020-01-01&to=2020-01-02");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonArray("rows")).isEmpty();
    assertThat(r.json().getJsonObject("totals").getString("cost_usd")).isEqualTo("0");
  }

  @Test
  @DisplayName("spend against budget for a key and its tenant: today, this month and all time from the rollups")
  void spendAgainstBudget() {
    Response tenant = node.client.post("/admin/v1/tenants", new JsonObject().put("name", "spender")
        .put("limits", new JsonObject().put("budget_usd", new JsonObject().put("monthly", 10))));
    assertThat(tenant.status()).as(tenant.body()).isEqualTo(201);
    String tenantId = tenant.json().getString("id");
    Response key = node.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId).put("name", "k")
        .put("budget_usd", new JsonObject().put("daily", 2).put("total", 100)));
    assertThat(key.status()).as(key.body()).isEqualTo(201);
    String keyId = key.json().getString("id");
    // Far from the other tests' rows, whose ranges must not see these; ?at= says which day is "today".
    OffsetDateTime now = OffsetDateTime.parse("2031-06-15T12:34:56Z");
    OffsetDateTime thisHour = now.withMinute(0).withSecond(0).withNano(0);
    OffsetDateTime monthStart = thisHour.withDayOfMonth(1).withHour(0);
    OffsetDateTime lastYear = thisHour.minusYears(1);
    Pool pool = node.admin.store().sqlPool();
    Object[][] rows = monthStart.equals(thisHour)
        ? new Object[][] {{thisHour, "1.5"}, {lastYear, "7"}}
        : new Object[][] {{thisHour, "1.5"}, {monthStart, "0.25"}, {lastYear, "7"}};
    OffsetDateTime dayStart = thisHour.withHour(0);
    BigDecimal today = BigDecimal.ZERO;
    BigDecimal month = BigDecimal.ZERO;
    BigDecimal total = BigDecimal.ZERO;
    for (Object[] r : rows) {
      BigDecimal cost = new BigDecimal((String) r[1]);
      OffsetDateTime hour = (OffsetDateTime) r[0];
      today = hour.isBefore(dayStart) ? today : today.add(cost);
      month = hour.isBefore(monthStart) ? month : month.add(cost);
      total = total.add(cost);
      Await.result(pool.preparedQuery("INSERT INTO usage_hourly (hour, tenant_id, key_id, model, deployment_id, "
          + "provider, requests, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, "
          + "cache_write_tokens, cost_usd) VALUES ($1, $2, $3, 'gpt', 'dep-gpt', 'openai', 3, 1, 1, 0, 0, 0, $4) "
          + "ON CONFLICT DO NOTHING")
          .execute(Tuple.of(r[0], tenantId, keyId, cost)));
    }

    Response k = node.client.get("/admin/v1/keys/" + keyId + "/spend?at=2031-06-15T12:34:56Z");
    assertThat(k.status()).as(k.body()).isEqualTo(200);
    JsonObject spent = k.json().getJsonObject("spend_usd");
    assertThat(new BigDecimal(spent.getString("daily"))).isEqualByComparingTo(today);
    assertThat(new BigDecimal(spent.getString("monthly"))).isEqualByComparingTo(month);
    assertThat(new BigDecimal(spent.getString("total"))).isEqualByComparingTo(total);
    assertThat(k.json().getJsonObject("budget_usd").getString("daily")).isEqualTo("2");
    assertThat(k.json().getJsonObject("budget_usd").getValue("monthly")).isNull();
    assertThat(k.json().getJsonObject("used").getDouble("daily"))
        .isEqualTo(today.divide(new BigDecimal(2), 4, java.math.RoundingMode.HALF_UP).doubleValue());
    assertThat(k.json().getJsonObject("used").getDouble("total"))
        .isEqualTo(total.divide(new BigDecimal(100), 4, java.math.RoundingMode.HALF_UP).doubleValue());

    Response t = node.client.get("/admin/v1/tenants/" + tenantId + "/spend?at=2031-06-15T12:34:56Z");
    assertThat(t.status()).as(t.body()).isEqualTo(200);
    assertThat(t.json().getString("tenant_id")).isEqualTo(tenantId);
    assertThat(t.json().getJsonObject("used").getDouble("monthly"))
        .isEqualTo(month.divide(BigDecimal.TEN, 4, java.math.RoundingMode.HALF_UP).doubleValue());
    assertThat(node.client.get("/admin/v1/keys/key_nope/spend").status()).isEqualTo(404);
  }
}
