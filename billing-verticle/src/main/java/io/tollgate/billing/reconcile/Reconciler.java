package io.tollgate.billing.reconcile;

import io.tollgate.api.usage.ReconcileReport;
import io.tollgate.api.usage.ReconcileReport.Difference;
import io.tollgate.traffic.CounterKeys;
import io.tollgate.traffic.LimitScope;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares one UTC day of the ledger (from the hourly rollups) with the daily counters the edges
 * reserve and settle in Redis, per key and tenant: cost against the daily budget counter, prompt
 * plus completion tokens against the daily token quota counter. Redis keeps those counters only
 * for keys and tenants with such a daily limit, and for a day after the day ended; the rest is not
 * compared.
 *
 * <p>Agreement allows for one rounding: Redis adds each request's cost rounded up to a nano-dollar,
 * the ledger keeps it exact, so Redis may be above the ledger by less than a nano-dollar per
 * request. A reservation still open (a request in flight, or one nobody settled and the sweeper
 * has not given back yet) shows as Redis above the ledger: reconcile a day once it is over by more
 * than the reservation lifetime (1 h by default).
 */
public final class Reconciler {

  /** Keys and tenants with a daily limit (their counters exist), with what the ledger billed them that day. */
  private static final String SCOPES = """
      WITH ledger AS (
        SELECT 'key' AS scope, key_id AS id, sum(requests) AS requests, sum(cost_usd) AS cost,
               sum(prompt_tokens + completion_tokens) AS tokens
          FROM usage_hourly WHERE hour >= $1 AND hour < $2 AND key_id <> '' GROUP BY key_id
        UNION ALL
        SELECT 'tenant', tenant_id, sum(requests), sum(cost_usd), sum(prompt_tokens + completion_tokens)
          FROM usage_hourly WHERE hour >= $1 AND hour < $2 AND tenant_id <> '' GROUP BY tenant_id
      ), limited AS (
        SELECT 'key' AS scope, id FROM api_keys
         WHERE limits->'budget_usd'->>'daily' IS NOT NULL OR limits->'token_quota'->>'daily' IS NOT NULL
        UNION ALL
        SELECT 'tenant', id FROM tenants
         WHERE limits->'budget_usd'->>'daily' IS NOT NULL OR limits->'token_quota'->>'daily' IS NOT NULL
      )
      SELECT coalesce(l.scope, m.scope), coalesce(l.id, m.id), coalesce(l.requests, 0)::int8,
             coalesce(l.cost, 0)::text, coalesce(l.tokens, 0)::int8, m.id IS NOT NULL
        FROM ledger l FULL JOIN limited m ON m.scope = l.scope AND m.id = l.id
       ORDER BY 1, 2
      """;
  /** Counters read per MGET. */
  private static final int MGET_BATCH = 500;
  private static final BigDecimal NANO = new BigDecimal("0.000000001");

  private record Billed(String scope, String id, long requests, BigDecimal cost, long tokens, boolean limited) {
  }

  private final Pool pool;
  private final Redis redis;
  private final String prefix;
  private final Clock clock;

  /** @param prefix the limits' Redis key prefix ({@code tg:} by default) */
  public Reconciler(Pool pool, Redis redis, String prefix, Clock clock) {
    this.pool = pool;
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
  }

  public Future<ReconcileReport> run(LocalDate day) {
    OffsetDateTime from = day.atStartOfDay().atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(SCOPES).execute(Tuple.of(from, from.plusDays(1))).compose(rows -> {
      List<Billed> billed = new ArrayList<>();
      for (Row r : rows) {
        billed.add(new Billed(r.getString(0), r.getString(1), r.getLong(2), new BigDecimal(r.getString(3)),
            r.getLong(4), r.getBoolean(5)));
      }
      List<String> keys = new ArrayList<>();
      for (Billed b : billed) {
        LimitScope scope = b.scope().equals("key") ? LimitScope.KEY : LimitScope.TENANT;
        keys.add(CounterKeys.dailyUsd(prefix, scope, b.id(), day));
        keys.add(CounterKeys.dailyTokens(prefix, scope, b.id(), day));
      }
      return counters(keys).map(values -> compare(day, billed, values));
    });
  }

  private Future<Map<String, Long>> counters(List<String> keys) {
    Map<String, Long> out = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < keys.size(); from += MGET_BATCH) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + MGET_BATCH));
      chain = chain.compose(v -> {
        Request mget = Request.cmd(Command.MGET);
        part.forEach(mget::arg);
        return redis.send(mget).map(response -> {
          for (int i = 0; i < part.size(); i++) {
            Response value = response.get(i);
            out.put(part.get(i), value == null ? null : value.toLong());
          }
          return null;
        });
      });
    }
    return chain.map(out);
  }

  private ReconcileReport compare(LocalDate day, List<Billed> billed, Map<String, Long> counters) {
    List<Difference> differences = new ArrayList<>();
    int checked = 0;
    for (Billed b : billed) {
      LimitScope scope = b.scope().equals("key") ? LimitScope.KEY : LimitScope.TENANT;
      Long nanos = counters.get(CounterKeys.dailyUsd(prefix, scope, b.id(), day));
      Long tokens = counters.get(CounterKeys.dailyTokens(prefix, scope, b.id(), day));
      if (nanos == null && tokens == null && (b.requests() == 0 || !b.limited())) {
        continue; // no counter expected: unused that day, or without a daily limit
      }
      checked++;
      BigDecimal redisUsd = nanos == null ? null : BigDecimal.valueOf(nanos, 9);
      boolean usdOff = redisUsd != null && !withinRounding(redisUsd.subtract(b.cost()), b.requests());
      boolean tokensOff = tokens != null && tokens != b.tokens();
      // A key or tenant with a daily limit the ledger billed but Redis has no counter of: expired, or
      // never counted (its limit came after the day's requests: that one shows here too).
      boolean missing = nanos == null && tokens == null;
      if (usdOff || tokensOff || missing) {
        differences.add(new Difference(b.scope(), b.id(), b.requests(), b.cost(), redisUsd, b.tokens(), tokens));
      }
    }
    return new ReconcileReport(day, clock.instant(), checked, differences);
  }

  /** Redis rounds each request up to a nano-dollar: it may be above the ledger by less than that per request. */
  private static boolean withinRounding(BigDecimal redisMinusLedger, long requests) {
    return redisMinusLedger.signum() >= 0
        && redisMinusLedger.compareTo(NANO.multiply(BigDecimal.valueOf(Math.max(requests, 0)))) <= 0;
  }
}
