package io.tollgate.billing;

import io.tollgate.api.usage.TraceJson;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.api.usage.UsageRows;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes usage events to the ledger in one statement per batch: the rows go in through
 * {@code unnest} of one array per column (one prepared statement whatever the batch size), a
 * duplicate (a resent event) is skipped by {@code ON CONFLICT DO NOTHING}, and only the rows
 * actually inserted are added to the hourly rollups, in the same statement and so the same
 * transaction.
 */
public final class LedgerWriter {

  static final String INSERT = """
      WITH ins AS (
        INSERT INTO usage_ledger (request_id, started_at, ended_at, tenant_id, key_id, model, deployment_id,
            provider, attempt, policy, routing_version, propensity, prompt_tokens, completion_tokens,
            cached_tokens, reasoning_tokens, cache_write_tokens, estimated, latency_ms, ttft_ms, status, error,
            error_side, cancel_reason, trace, cost_usd, cache_hit)
        SELECT r, timestamptz 'epoch' + s * interval '1 microsecond',
               timestamptz 'epoch' + e * interval '1 microsecond', tn, k, m, d, p, a, po, rv, pr, pt, ct, cat, rt,
               cwt, est, l, tt, st, er, sd, cr, tr::jsonb, c::numeric, ch
          FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::text[],
                      $7::text[], $8::text[], $9::int4[], $10::text[], $11::text[], $12::float8[], $13::int8[],
                      $14::int8[], $15::int8[], $16::int8[], $17::int8[], $18::bool[], $19::int8[], $20::int8[],
                      $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::bool[])
               AS u(r, s, e, tn, k, m, d, p, a, po, rv, pr, pt, ct, cat, rt, cwt, est, l, tt, st, er, sd, cr, tr, c,
                    ch)
         ORDER BY r, s
        ON CONFLICT (request_id, started_at) DO NOTHING
        RETURNING started_at, tenant_id, key_id, model, deployment_id, provider, prompt_tokens, completion_tokens,
                  cached_tokens, reasoning_tokens, cache_write_tokens, cost_usd
      ), rolled AS (
        INSERT INTO usage_hourly AS h (hour, tenant_id, key_id, model, deployment_id, provider, requests,
            prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cache_write_tokens, cost_usd)
        SELECT date_trunc('hour', started_at, 'UTC'), coalesce(tenant_id, ''), coalesce(key_id, ''),
               coalesce(model, ''), coalesce(deployment_id, ''), coalesce(provider, ''), count(*),
               sum(prompt_tokens), sum(completion_tokens), sum(cached_tokens), sum(reasoning_tokens),
               sum(cache_write_tokens), sum(cost_usd)
          FROM ins
         GROUP BY 1, 2, 3, 4, 5, 6
         ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (hour, tenant_id, key_id, model, deployment_id, provider) DO UPDATE SET
          requests = h.requests + EXCLUDED.requests,
          prompt_tokens = h.prompt_tokens + EXCLUDED.prompt_tokens,
          completion_tokens = h.completion_tokens + EXCLUDED.completion_tokens,
          cached_tokens = h.cached_tokens + EXCLUDED.cached_tokens,
          reasoning_tokens = h.reasoning_tokens + EXCLUDED.reasoning_tokens,
          cache_write_tokens = h.cache_write_tokens + EXCLUDED.cache_write_tokens,
          cost_usd = h.cost_usd + EXCLUDED.cost_usd
      )
      SELECT count(*) FROM ins
      """;

  /** check_violation: PostgreSQL's answer to a row whose partition does not exist. */
  private static final String NO_PARTITION = "23514";

  private final Pool pool;
  /** Days whose partition is known to exist; shared by the instances of a node. */
  private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

  public LedgerWriter(Pool pool) {
    this.pool = pool;
  }

  /**
   * Whether the ledger records this event: requests an upstream could have charged for, and
   * requests answered from the response cache (a zero-cost row marked {@code cache_hit}).
   */
  public static boolean billable(UsageEvent e) {
    return e.deploymentId() != null || e.cacheHit();
  }

  /** Ensures the partitions of {@code from} through {@code from + days} exist. */
  public Future<Void> createPartitions(LocalDate from, int days) {
    List<LocalDate> wanted = new ArrayList<>();
    for (int i = 0; i <= days; i++) {
      wanted.add(from.plusDays(i));
    }
    return ensure(wanted);
  }

  /** Writes the billable events of a batch; completes with the number of rows newly inserted. */
  public Future<Integer> write(List<UsageEvent> batch) {
    List<UsageEvent> rows = UsageRows.unique(batch, LedgerWriter::billable);
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<LocalDate> days = UsageRows.days(rows);
    Tuple columns = columns(rows);
    return insert(days, columns).recover(e -> {
      // A day partition this node remembered was dropped elsewhere (retention, an operator):
      // forget what it knew and create them again, once.
      if (e instanceof PgException pg && NO_PARTITION.equals(pg.getSqlState())) {
        partitions.clear();
        return insert(days, columns);
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Integer> insert(List<LocalDate> days, Tuple columns) {
    return ensure(days).compose(v -> pool.preparedQuery(INSERT).execute(columns))
        .map(result -> result.iterator().next().getLong(0).intValue());
  }

  private Future<Void> ensure(List<LocalDate> days) {
    Future<Void> chain = Future.succeededFuture();
    for (LocalDate day : days) {
      if (!partitions.contains(day)) {
        chain = chain.compose(v -> pool.preparedQuery("SELECT tollgate_day_partition('usage_ledger', $1)")
            .execute(Tuple.of(day)).onSuccess(r -> partitions.add(day)).mapEmpty());
      }
    }
    return chain;
  }

  private static Tuple columns(List<UsageEvent> rows) {
    int n = rows.size();
    String[] requestId = new String[n];
    Long[] started = new Long[n];
    Long[] ended = new Long[n];
    String[] tenant = new String[n];
    String[] key = new String[n];
    String[] model = new String[n];
    String[] deployment = new String[n];
    String[] provider = new String[n];
    Integer[] attempt = new Integer[n];
    String[] policy = new String[n];
    String[] version = new String[n];
    Double[] propensity = new Double[n];
    Long[] prompt = new Long[n];
    Long[] completion = new Long[n];
    Long[] cached = new Long[n];
    Long[] reasoning = new Long[n];
    Long[] cacheWrite = new Long[n];
    Boolean[] estimated = new Boolean[n];
    Long[] latency = new Long[n];
    Long[] ttft = new Long[n];
    String[] status = new String[n];
    String[] error = new String[n];
    String[] side = new String[n];
    String[] cancel = new String[n];
    String[] trace = new String[n];
    String[] cost = new String[n];
    Boolean[] cacheHit = new Boolean[n];
    for (int i = 0; i < n; i++) {
      UsageEvent e = rows.get(i);
      requestId[i] = e.requestId();
      started[i] = UsageRows.micros(e.startedAt());
      ended[i] = UsageRows.micros(e.endedAt() == null ? e.startedAt() : e.endedAt());
      tenant[i] = e.tenantId();
      key[i] = e.keyId();
      model[i] = e.model();
      deployment[i] = e.deploymentId();
      provider[i] = e.provider();
      attempt[i] = e.attempt();
      policy[i] = e.decision().policy();
      version[i] = e.decision().routingVersion();
      propensity[i] = e.decision().propensity();
      prompt[i] = e.usage().promptTokens();
      completion[i] = e.usage().completionTokens();
      cached[i] = e.usage().cachedTokens();
      reasoning[i] = e.usage().reasoningTokens();
      cacheWrite[i] = e.usage().cacheWriteTokens();
      estimated[i] = e.usage().estimated();
      latency[i] = e.latencyMillis();
      ttft[i] = e.ttftMillis();
      status[i] = lower(e.status());
      error[i] = e.error() == null ? null : e.error().code();
      side[i] = lower(e.side());
      cancel[i] = lower(e.cancelReason());
      trace[i] = TraceJson.of(e.trace());
      cost[i] = e.costUsd().toPlainString();
      cacheHit[i] = e.cacheHit();
    }
    return Tuple.from(new Object[] {requestId, started, ended, tenant, key, model, deployment, provider, attempt,
        policy, version, propensity, prompt, completion, cached, reasoning, cacheWrite, estimated, latency, ttft,
        status, error, side, cancel, trace, cost, cacheHit});
  }

  static String lower(Enum<?> value) {
    return UsageRows.lower(value);
  }
}
