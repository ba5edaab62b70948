package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage reports from the hourly rollups the billing role maintains (never from raw ledger rows),
 * and single ledger records by request id.
 */
public final class UsageReports {

  /** A group_by name, the column it reads and the field it is answered as. */
  public enum Group {
    TENANT("tenant", "tenant_id", "tenant_id"),
    KEY("key", "key_id", "key_id"),
    MODEL("model", "model", "model"),
    DEPLOYMENT("deployment", "deployment_id", "deployment_id"),
    PROVIDER("provider", "provider", "provider"),
    DAY("day", "date_trunc('day', hour, 'UTC')", "day"),
    HOUR("hour", "hour", "hour");

    private final String param;
    private final String sql;
    private final String field;

    Group(String param, String sql, String field) {
      this.param = param;
      this.sql = sql;
      this.field = field;
    }

    public String field() {
      return field;
    }

    public static Group of(String param) {
      for (Group g : values()) {
        if (g.param.equals(param)) {
          return g;
        }
      }
      throw AdminErrors.badRequest("group_by: unknown group '" + param + "' (known: tenant, key, model, deployment, "
          + "provider, day, hour)", "group_by");
    }
  }

  /** The metrics of every row and of the totals, in answer order. */
  public static final List<String> METRICS = List.of("requests", "prompt_tokens", "completion_tokens",
      "cached_tokens", "reasoning_tokens", "cost_usd");

  /** What to report: hours starting in [from, to), grouped, optionally filtered (null: any). */
  public record Query(Instant from, Instant to, List<Group> groups, String tenantId, String keyId, String model) {
  }

  /** Rows of group values (null where a request had none) and metrics; {@code cost_usd} exact. */
  public record Report(List<Map<String, Object>> rows, Map<String, Object> totals) {
  }

  private final Pool pool;

  public UsageReports(Pool pool) {
    this.pool = pool;
  }

  public Future<Report> usage(Query q) {
    List<Object> params = new ArrayList<>(List.of(q.from().atOffset(ZoneOffset.UTC), q.to().atOffset(ZoneOffset.UTC)));
    StringBuilder where = new StringBuilder(" WHERE hour >= date_trunc('hour', $1::timestamptz, 'UTC') AND hour < $2");
    filter(where, params, "tenant_id", q.tenantId());
    filter(where, params, "key_id", q.keyId());
    filter(where, params, "model", q.model());
    StringBuilder select = new StringBuilder("SELECT ");
    for (Group g : q.groups()) {
      select.append(g.sql).append(", ");
    }
    select.append("sum(requests)::int8, sum(prompt_tokens)::int8, sum(completion_tokens)::int8, "
        + "sum(cached_tokens)::int8, sum(reasoning_tokens)::int8, sum(cost_usd)::text FROM usage_hourly").append(where);
    if (!q.groups().isEmpty()) {
      StringBuilder by = new StringBuilder();
      for (int i = 1; i <= q.groups().size(); i++) {
        by.append(i == 1 ? "" : ", ").append(i);
      }
      select.append(" GROUP BY ").append(by).append(" ORDER BY ").append(by);
    }
    return pool.preparedQuery(select.toString()).execute(Tuple.from(params)).map(rows -> {
      List<Map<String, Object>> out = new ArrayList<>();
      long[] sums = new long[5];
      BigDecimal cost = BigDecimal.ZERO;
      for (Row row : rows) {
        if (row.getValue(q.groups().size()) == null) {
          continue; // the one aggregate row of an ungrouped query over no data
        }
        Map<String, Object> r = new LinkedHashMap<>();
        for (int i = 0; i < q.groups().size(); i++) {
          Object v = row.getValue(i);
          r.put(q.groups().get(i).field(), v instanceof OffsetDateTime t ? t.toInstant().toString()
              : "".equals(v) ? null : v);
        }
        for (int m = 0; m < 5; m++) {
          long value = row.getLong(q.groups().size() + m);
          sums[m] += value;
          r.put(METRICS.get(m), value);
        }
        BigDecimal c = new BigDecimal(row.getString(q.groups().size() + 5));
        cost = cost.add(c);
        r.put("cost_usd", c.toPlainString());
        out.add(r);
      }
      Map<String, Object> totals = new LinkedHashMap<>();
      for (int m = 0; m < 5; m++) {
        totals.put(METRICS.get(m), sums[m]);
      }
      totals.put("cost_usd", cost.toPlainString());
      return new Report(out, totals);
    });
  }

  /** Billed spend of one key or tenant: this UTC day, this UTC month, all time, as exact decimals. */
  public record Spend(BigDecimal day, BigDecimal month, BigDecimal total, long requestsToday) {
  }

  /**
   * What a key ({@code byTenant} false) or a tenant has been billed, from the hourly rollups: one
   * indexed aggregate over its own rows, never the raw ledger.
   */
  public Future<Spend> spend(String id, boolean byTenant, Instant now) {
    OffsetDateTime t = now.atOffset(ZoneOffset.UTC);
    OffsetDateTime day = t.toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
    OffsetDateTime month = day.withDayOfMonth(1);
    String column = byTenant ? "tenant_id" : "key_id";
    return pool.preparedQuery("SELECT coalesce(sum(cost_usd) FILTER (WHERE hour >= $2), 0)::text, "
            + "coalesce(sum(cost_usd) FILTER (WHERE hour >= $3), 0)::text, coalesce(sum(cost_usd), 0)::text, "
            + "coalesce(sum(requests) FILTER (WHERE hour >= $2), 0)::int8 FROM usage_hourly WHERE " + column + " = $1")
        .execute(Tuple.of(id, day, month))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Spend(new BigDecimal(r.getString(0)), new BigDecimal(r.getString(1)),
              new BigDecimal(r.getString(2)), r.getLong(3));
        });
  }

  /** The ledger record of one request, or null when there is none. */
  public Future<Map<String, Object>> request(String requestId) {
    return pool.preparedQuery("SELECT request_id, started_at, ended_at, tenant_id, key_id, model, deployment_id, "
            + "provider, attempt, policy, routing_version, propensity, prompt_tokens, completion_tokens, cached_tokens, "
            + "reasoning_tokens, cache_write_tokens, estimated, latency_ms, ttft_ms, status, error, error_side, "
            + "cancel_reason, trace::text, cost_usd::text, cache_hit, recorded_at FROM usage_ledger WHERE request_id = $1 "
            + "ORDER BY started_at LIMIT 1")
        .execute(Tuple.of(requestId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          Map<String, Object> r = new LinkedHashMap<>();
          for (int i = 0; i < row.size(); i++) {
            String name = row.getColumnName(i);
            Object v = row.getValue(i);
            if (v instanceof OffsetDateTime t) {
              v = t.toInstant().toString();
            }
            if (name.equals("trace")) {
              r.put(name, new JsonArray((String) v).getList());
            } else {
              r.put(name, v);
            }
          }
          return r;
        });
  }

  private static void filter(StringBuilder where, List<Object> params, String column, String value) {
    if (value != null) {
      params.add(value);
      where.append(" AND ").append(column).append(" = $").append(params.size());
    }
  }
}
