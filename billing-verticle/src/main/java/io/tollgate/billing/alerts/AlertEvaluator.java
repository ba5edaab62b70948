package io.tollgate.billing.alerts;

import io.tollgate.billing.alerts.Alert.Kind;
import io.tollgate.billing.alerts.Alert.Period;
import io.tollgate.billing.alerts.Alert.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the budget thresholds and spend spikes that keys and tenants crossed, from the hourly
 * rollups (never the raw ledger), and records each as fired in {@code budget_alerts}. The table's
 * primary key decides who fires: of several billing nodes that see the same crossing, the one whose
 * insert lands delivers it, the others get nothing back.
 */
final class AlertEvaluator {

  /** Budgets and spend of the keys (or tenants) in $1 around the hours in $2, one row per (id, hour). */
  private static final String SPEND = """
      SELECT t.id, t.hour, b.budget->>'daily', b.budget->>'monthly', b.budget->>'total',
             coalesce(sum(h.cost_usd) FILTER (WHERE h.hour >= t.day AND h.hour < t.day_end), 0)::text,
             coalesce(sum(h.cost_usd) FILTER (WHERE h.hour >= t.month AND h.hour < t.month_end), 0)::text,
             coalesce(sum(h.cost_usd), 0)::text,
             coalesce(sum(h.cost_usd) FILTER (WHERE h.hour = t.hour), 0)::text,
             coalesce(sum(h.cost_usd) FILTER (WHERE h.hour >= t.win_start AND h.hour < t.hour), 0)::text
        FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[],
                    $6::timestamptz[], $7::timestamptz[]) AS t(id, hour, day, day_end, month, month_end, win_start)
        LEFT JOIN (SELECT id, limits->'budget_usd' AS budget FROM %1$s) b ON b.id = t.id
        LEFT JOIN usage_hourly h ON h.%2$s = t.id
             -- Only the hours something is computed from: all of them for a total budget, else the
             -- month or the day and the spike window (an index range scan on (id, hour)).
             AND h.hour >= CASE WHEN b.budget->>'total' IS NOT NULL THEN '-infinity'::timestamptz
                                WHEN b.budget->>'monthly' IS NOT NULL THEN least(t.month, t.win_start)
                                ELSE least(t.day, t.win_start) END
       GROUP BY t.id, t.hour, b.budget
      """;

  private static final String FIRE = """
      INSERT INTO budget_alerts (id, kind, scope, scope_id, tenant_id, period, period_start, threshold, spend_usd,
                                 limit_usd)
      SELECT i, k, s, sid, tn, p, ps, th, sp::numeric, l::numeric
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                    $8::int4[], $9::text[], $10::text[]) AS u(i, k, s, sid, tn, p, ps, th, sp, l)
      ON CONFLICT DO NOTHING
      RETURNING id, fired_at
      """;

  /** This node's memory of alerts known fired, so a crossed budget is not offered again every batch. */
  private static final int MAX_REMEMBERED = 100_000;

  private final Pool pool;
  private final AlertOptions options;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  AlertEvaluator(Pool pool, AlertOptions options) {
    this.pool = pool;
    this.options = options;
  }

  /** Completes with the alerts this call fired (none that any node fired before). */
  Future<List<Alert>> evaluate(Set<Subject> subjects) {
    List<Subject> keys = subjects.stream().filter(s -> s.scope() == Scope.KEY).toList();
    List<Subject> tenants = subjects.stream().filter(s -> s.scope() == Scope.TENANT).toList();
    return Future.all(spend(keys, "api_keys", "key_id"), spend(tenants, "tenants", "tenant_id"))
        .compose(all -> {
          List<Alert> candidates = new ArrayList<>();
          candidates.addAll(all.<List<Alert>>resultAt(0));
          candidates.addAll(all.<List<Alert>>resultAt(1));
          candidates.removeIf(a -> known.contains(a.dedupeKey()));
          return fire(candidates);
        });
  }

  private Future<List<Alert>> spend(List<Subject> subjects, String table, String column) {
    if (subjects.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = subjects.size();
    String[] ids = new String[n];
    OffsetDateTime[][] times = new OffsetDateTime[6][n];
    Map<String, Subject> byIdHour = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Subject s = subjects.get(i);
      OffsetDateTime hour = s.hour().atOffset(ZoneOffset.UTC);
      OffsetDateTime day = hour.toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
      ids[i] = s.id();
      times[0][i] = hour;
      times[1][i] = day;
      times[2][i] = day.plusDays(1);
      times[3][i] = day.withDayOfMonth(1);
      times[4][i] = day.withDayOfMonth(1).plusMonths(1);
      times[5][i] = hour.minusHours(options.spikeWindowHours());
      byIdHour.put(s.id() + "@" + s.hour(), s);
    }
    return pool.preparedQuery(String.format(SPEND, table, column))
        .execute(Tuple.of(ids, times[0], times[1], times[2], times[3], times[4]).addValue(times[5]))
        .map(rows -> {
          List<Alert> out = new ArrayList<>();
          for (Row r : rows) {
            Instant hour = r.getOffsetDateTime(1).toInstant();
            Subject s = byIdHour.get(r.getString(0) + "@" + hour);
            OffsetDateTime h = hour.atOffset(ZoneOffset.UTC);
            OffsetDateTime day = h.toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
            thresholds(out, s, Period.DAILY, day.toInstant(), decimal(r.getString(2)), decimal(r.getString(5)));
            thresholds(out, s, Period.MONTHLY, day.withDayOfMonth(1).toInstant(), decimal(r.getString(3)),
                decimal(r.getString(6)));
            thresholds(out, s, Period.TOTAL, Instant.EPOCH, decimal(r.getString(4)), decimal(r.getString(7)));
            spike(out, s, hour, decimal(r.getString(8)), decimal(r.getString(9)));
          }
          return out;
        });
  }

  private void thresholds(List<Alert> out, Subject s, Period period, Instant start, BigDecimal budget,
                          BigDecimal spent) {
    if (budget == null || budget.signum() <= 0) {
      return;
    }
    for (int t : options.thresholds()) {
      // spent / budget >= t / 100, without a division that would round
      if (spent.movePointRight(2).compareTo(budget.multiply(BigDecimal.valueOf(t))) >= 0) {
        out.add(new Alert(UUID.randomUUID().toString(), Kind.THRESHOLD, s.scope(), s.id(), s.tenantId(), period,
            start, t, spent, budget, null));
      }
    }
  }

  private void spike(List<Alert> out, Subject s, Instant hour, BigDecimal spent, BigDecimal window) {
    // Without spend in the window there is no average to jump from (a new key's first hour is not
    // an anomaly); its budgets still alert.
    if (spent.compareTo(options.spikeMinUsd()) < 0 || window.signum() <= 0) {
      return;
    }
    BigDecimal average = window.divide(BigDecimal.valueOf(options.spikeWindowHours()), 9, RoundingMode.HALF_UP);
    if (spent.compareTo(average.multiply(BigDecimal.valueOf(options.spikeFactor()))) > 0) {
      out.add(new Alert(UUID.randomUUID().toString(), Kind.SPIKE, s.scope(), s.id(), s.tenantId(), Period.HOUR, hour,
          0, spent, average.stripTrailingZeros(), null));
    }
  }

  Future<List<Alert>> fire(List<Alert> candidates) {
    if (candidates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = candidates.size();
    String[] id = new String[n];
    String[] kind = new String[n];
    String[] scope = new String[n];
    String[] scopeId = new String[n];
    String[] tenant = new String[n];
    String[] period = new String[n];
    OffsetDateTime[] start = new OffsetDateTime[n];
    Integer[] threshold = new Integer[n];
    String[] spend = new String[n];
    String[] limit = new String[n];
    Map<String, Alert> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Alert a = candidates.get(i);
      id[i] = a.id();
      kind[i] = a.kind().tag();
      scope[i] = a.scope().tag();
      scopeId[i] = a.scopeId();
      tenant[i] = a.tenantId();
      period[i] = a.period().tag();
      start[i] = a.periodStart().atOffset(ZoneOffset.UTC);
      threshold[i] = a.threshold();
      spend[i] = a.spendUsd().toPlainString();
      limit[i] = a.limitUsd().toPlainString();
      byId.put(a.id(), a);
    }
    return pool.preparedQuery(FIRE)
        .execute(Tuple.of(id, kind, scope, scopeId, tenant, period, start, threshold, spend).addValue(limit))
        .map(rows -> {
          if (known.size() > MAX_REMEMBERED) {
            known.clear(); // forgetting only costs an insert that conflicts
          }
          candidates.forEach(a -> known.add(a.dedupeKey()));
          List<Alert> fired = new ArrayList<>();
          for (Row r : rows) {
            fired.add(byId.get(r.getString(0)).fired(r.getOffsetDateTime(1).toInstant()));
          }
          return fired;
        });
  }

  private static BigDecimal decimal(String s) {
    return s == null ? null : new BigDecimal(s);
  }
}
