package io.tollgate.audit;

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
 * Writes one audit record per request, a batch per statement, skipping records already there (a
 * resent event). Who (tenant, key), what (model, deployment), how it ended (status, error and its
 * side, cancel reason), how long, and the failover trace. Prompt and completion text only when the
 * event carries it: the edge adds it, already redacted, for tenants that opted in; by default none.
 */
public final class AuditWriter {

  static final String TABLE = "audit_requests";
  /** The admin role's records ({@code V5__audit_admin.sql}); this role keeps its partitions and retention. */
  static final String ADMIN_TABLE = "audit_admin";
  /** Every day-partitioned audit table: partitions are created ahead and dropped by retention for each. */
  static final List<String> TABLES = List.of(TABLE, ADMIN_TABLE);

  static final String INSERT = """
      INSERT INTO audit_requests (request_id, started_at, ended_at, tenant_id, key_id, model, deployment_id,
          provider, attempt, status, error, error_side, cancel_reason, latency_ms, ttft_ms, trace, prompt, completion)
      SELECT r, timestamptz 'epoch' + s * interval '1 microsecond', timestamptz 'epoch' + e * interval '1 microsecond',
             tn, k, m, d, p, a, st, er, sd, cr, l, tt, tr::jsonb, pr, co
        FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::int4[], $10::text[], $11::text[], $12::text[], $13::text[],
                    $14::int8[], $15::int8[], $16::text[], $17::text[], $18::text[])
             AS u(r, s, e, tn, k, m, d, p, a, st, er, sd, cr, l, tt, tr, pr, co)
       ORDER BY r, s
      ON CONFLICT (request_id, started_at) DO NOTHING
      """;

  /** check_violation: PostgreSQL's answer to a row whose partition does not exist. */
  private static final String NO_PARTITION = "23514";

  private final Pool pool;
  private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

  public AuditWriter(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> createPartitions(LocalDate from, int days) {
    List<LocalDate> wanted = new ArrayList<>();
    for (int i = 0; i <= days; i++) {
      wanted.add(from.plusDays(i));
    }
    // The admin role creates today's partition of its table on demand too; ahead keeps it off its path.
    Future<Void> chain = ensure(wanted);
    for (LocalDate day : wanted) {
      chain = chain.compose(v -> pool.preparedQuery("SELECT tollgate_day_partition($1, $2)")
          .execute(Tuple.of(ADMIN_TABLE, day)).mapEmpty());
    }
    return chain;
  }

  /** Writes a batch; completes with the number of records newly inserted. */
  public Future<Integer> write(List<UsageEvent> batch) {
    List<UsageEvent> rows = UsageRows.unique(batch, e -> true);
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
        .map(result -> result.rowCount());
  }

  /**
   * Drops the day partitions of both audit tables (request and admin records) that lie wholly
   * before {@code today - retentionDays}; completes with how many went. Whole partitions: no
   * row-by-row delete, no bloat.
   */
  public Future<Integer> dropOlderThan(LocalDate today, int retentionDays) {
    LocalDate before = today.minusDays(retentionDays);
    Future<Integer> dropped = Future.succeededFuture(0);
    for (String table : TABLES) {
      dropped = dropped.compose(n -> pool.preparedQuery("SELECT tollgate_drop_day_partitions($1, $2)")
          .execute(Tuple.of(table, before)).map(rows -> n + rows.iterator().next().getInteger(0)));
    }
    return dropped.onSuccess(n -> partitions.removeIf(day -> day.isBefore(before)));
  }

  private Future<Void> ensure(List<LocalDate> days) {
    Future<Void> chain = Future.succeededFuture();
    for (LocalDate day : days) {
      if (!partitions.contains(day)) {
        chain = chain.compose(v -> pool.preparedQuery("SELECT tollgate_day_partition($1, $2)")
            .execute(Tuple.of(TABLE, day)).onSuccess(r -> partitions.add(day)).mapEmpty());
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
    String[] status = new String[n];
    String[] error = new String[n];
    String[] side = new String[n];
    String[] cancel = new String[n];
    Long[] latency = new Long[n];
    Long[] ttft = new Long[n];
    String[] trace = new String[n];
    String[] prompt = new String[n];
    String[] completion = new String[n];
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
      status[i] = lower(e.status());
      error[i] = e.error() == null ? null : e.error().code();
      side[i] = lower(e.side());
      cancel[i] = lower(e.cancelReason());
      latency[i] = e.latencyMillis();
      ttft[i] = e.ttftMillis();
      trace[i] = TraceJson.of(e.trace());
      if (e.text() != null) {
        prompt[i] = e.text().prompt();
        completion[i] = e.text().completion();
      }
    }
    return Tuple.from(new Object[] {requestId, started, ended, tenant, key, model, deployment, provider, attempt,
        status, error, side, cancel, latency, ttft, trace, prompt, completion});
  }

  private static String lower(Enum<?> value) {
    return UsageRows.lower(value);
  }
}
