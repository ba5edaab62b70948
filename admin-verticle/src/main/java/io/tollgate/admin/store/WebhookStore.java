package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.WebhookBody;
import io.tollgate.admin.model.WebhookView;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Webhooks the billing role posts budget alerts to, and the alerts it fired. Billing reads the
 * table at each delivery, so a change applies to the next alert on every node.
 */
public final class WebhookStore {

  private static final String COLUMNS = "id, url, events, tenant_id, secret IS NOT NULL, created_at";
  /** Most alerts one listing answers. */
  public static final int MAX_ALERTS = 1_000;

  private final Pool pool;

  public WebhookStore(Pool pool) {
    this.pool = pool;
  }

  public Future<WebhookView> create(WebhookBody body) {
    String id = "wh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    return pool.preparedQuery("INSERT INTO webhooks (id, url, secret, events, tenant_id) VALUES ($1, $2, $3, $4, $5) "
            + "RETURNING " + COLUMNS)
        .execute(Tuple.of(id, body.url(), body.secret(), body.events().toArray(String[]::new), body.tenantId()))
        .map(rows -> view(rows.iterator().next()));
  }

  public Future<List<WebhookView>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM webhooks ORDER BY created_at, id").execute().map(WebhookStore::views);
  }

  public Future<WebhookView> get(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw AdminErrors.notFound("no webhook '" + id + "'");
          }
          return view(rows.iterator().next());
        });
  }

  public Future<Void> delete(String id) {
    return pool.preparedQuery("DELETE FROM webhooks WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
      if (rows.rowCount() == 0) {
        throw AdminErrors.notFound("no webhook '" + id + "'");
      }
      return null;
    });
  }

  /** Alerts fired in [from, to), newest first, at most {@code limit}. */
  public Future<List<Map<String, Object>>> alerts(Instant from, Instant to, int limit) {
    return pool.preparedQuery("SELECT id, kind, scope, scope_id, tenant_id, period, period_start, threshold, "
            + "spend_usd::text, limit_usd::text, fired_at FROM budget_alerts WHERE fired_at >= $1 AND fired_at < $2 "
            + "ORDER BY fired_at DESC, id LIMIT $3")
        .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
        .map(rows -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (Row r : rows) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", r.getString(0));
            a.put("type", "budget." + r.getString(1));
            a.put("scope", r.getString(2));
            a.put(r.getString(2).equals("key") ? "key_id" : "tenant_id", r.getString(3));
            if (r.getString(2).equals("key")) {
              a.put("tenant_id", r.getString(4));
            }
            a.put("period", r.getString(5));
            a.put("period_start", r.getOffsetDateTime(6).toInstant().toString());
            if (r.getString(1).equals("threshold")) {
              a.put("threshold_percent", r.getInteger(7));
              a.put("spend_usd", r.getString(8));
              a.put("budget_usd", r.getString(9));
            } else {
              a.put("spend_usd", r.getString(8));
              a.put("average_usd", r.getString(9));
            }
            a.put("fired_at", r.getOffsetDateTime(10).toInstant().toString());
            out.add(a);
          }
          return out;
        });
  }

  private static List<WebhookView> views(RowSet<Row> rows) {
    List<WebhookView> out = new ArrayList<>();
    rows.forEach(r -> out.add(view(r)));
    return out;
  }

  private static WebhookView view(Row r) {
    String[] events = r.getArrayOfStrings(2);
    OffsetDateTime created = r.getOffsetDateTime(5);
    return new WebhookView(r.getString(0), r.getString(1), events == null ? List.of() : Arrays.asList(events),
        r.getString(3), r.getBoolean(4), created.toInstant());
  }
}
