package io.tollgate.admin.store;

import io.tollgate.admin.AdminErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the audit log: request records ({@code audit_requests}) and admin-action records
 * ({@code audit_admin}) in one order, time then kind then id, which never changes for a record, so
 * a keyset cursor pages through every record exactly once. Each record is built as JSON by
 * PostgreSQL, so the query and the export write the same text for it.
 */
public final class AuditQueries {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1_000;
  /** Rows fetched per round trip while exporting. */
  static final int EXPORT_FETCH = 500;

  public enum Kind {
    REQUEST, ADMIN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind of(String value) {
      for (Kind k : values()) {
        if (k.wire().equals(value)) {
          return k;
        }
      }
      throw AdminErrors.badRequest("kind must be request or admin, got '" + value + "'", "kind");
    }
  }

  /** Where the last page ended: a record's time, kind and id. */
  public record Cursor(Instant at, String kind, String id) {

    private static final String VERSION = "a1";

    public String encode() {
      long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
      String raw = VERSION + "|" + micros + "|" + kind + "|" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor this API handed out, or a 400 naming {@code cursor}. */
    public static Cursor decode(String text) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        String[] parts = raw.split("\\|", 4);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
          throw new IllegalArgumentException("unknown cursor form");
        }
        long micros = Long.parseLong(parts[1]);
        Kind.of(parts[2]);
        return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1_000L), parts[2], parts[3]);
      } catch (RuntimeException e) {
        throw AdminErrors.badRequest("cursor is not one this API returned (pass next_cursor unchanged)", "cursor");
      }
    }
  }

  /**
   * @param from     inclusive, null: no bound
   * @param to       exclusive, null: no bound
   * @param kind     null: both kinds
   * @param tenantId null: every tenant (and admin records without one)
   * @param after    null: from the start
   */
  public record Query(Instant from, Instant to, String tenantId, Kind kind, int limit, Cursor after) {
  }

  /** One page: each record's JSON text, and where to go on (null: this was the last page). */
  public record Page(List<String> records, String nextCursor) {
  }

  private static final String TIME = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

  private static final String REQUESTS = "SELECT started_at AS at, 'request'::text AS kind, request_id AS id, "
      + "jsonb_build_object('kind', 'request', 'id', request_id, 'at', " + TIME.formatted("started_at")
      + ", 'ended_at', " + TIME.formatted("ended_at") + ", 'tenant_id', tenant_id, 'key_id', key_id, "
      + "'model', model, 'deployment_id', deployment_id, 'provider', provider, 'attempt', attempt, "
      + "'status', status, 'error', error, 'error_side', error_side, 'cancel_reason', cancel_reason, "
      + "'latency_ms', latency_ms, 'ttft_ms', ttft_ms, 'trace', trace, 'prompt', prompt, "
      + "'completion', completion)::text AS record FROM audit_requests";

  private static final String ADMIN = "SELECT at, 'admin'::text AS kind, id, "
      + "jsonb_build_object('kind', 'admin', 'id', id, 'at', " + TIME.formatted("at") + ", 'actor', actor, "
      + "'action', action, 'target_kind', target_kind, 'target_id', target_id, 'tenant_id', tenant_id, "
      + "'before', before, 'after', after)::text AS record FROM audit_admin";

  private final Pool pool;

  public AuditQueries(Pool pool) {
    this.pool = pool;
  }

  /** A page of at most {@code q.limit()} records after {@code q.after()}. */
  public Future<Page> page(Query q) {
    Tuple args = Tuple.tuple();
    String sql = sql(q, args, q.limit() + 1);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      List<String> records = new ArrayList<>(q.limit());
      Cursor last = null;
      boolean more = false;
      for (Row r : rows) {
        if (records.size() == q.limit()) {
          more = true;
          break;
        }
        records.add(r.getString(3));
        last = new Cursor(r.getOffsetDateTime(0).toInstant(), r.getString(1), r.getString(2));
      }
      return new Page(records, more ? last.encode() : null);
    });
  }

  /**
   * Writes every record of {@code q} (its limit and cursor ignored) to {@code out} as JSON lines,
   * fetched {@value #EXPORT_FETCH} at a time and paused while {@code out} is full, so an export of
   * any size holds one fetch in memory. Completes when the last line is written; {@code out} is
   * not ended.
   */
  public Future<Long> export(Query q, WriteStream<Buffer> out) {
    Tuple args = Tuple.tuple();
    String sql = sql(new Query(q.from(), q.to(), q.tenantId(), q.kind(), q.limit(), null), args, 0);
    // A cursor (portal) needs a transaction; read-only, it holds no locks that matter.
    return pool.withTransaction(conn -> conn.prepare(sql).compose(ps -> stream(ps.createStream(EXPORT_FETCH, args),
        out)));
  }

  private static Future<Long> stream(RowStream<Row> rows, WriteStream<Buffer> out) {
    io.vertx.core.Promise<Long> done = io.vertx.core.Promise.promise();
    long[] count = {0};
    rows.exceptionHandler(done::tryFail);
    rows.endHandler(v -> done.tryComplete(count[0]));
    out.exceptionHandler(e -> {
      done.tryFail(e);
      rows.close();
    });
    rows.handler(row -> {
      count[0]++;
      out.write(Buffer.buffer(row.getString(3)).appendByte((byte) '\n'));
      if (out.writeQueueFull()) {
        rows.pause();
        out.drainHandler(v -> rows.resume());
      }
    });
    return done.future();
  }

  /**
   * The union of the kinds asked for, filtered and ordered; parameters appended to {@code args}.
   * With a {@code limit} (0: none) each kind is ordered and cut on its own first, so each reads
   * only that many rows along its (time, id) index instead of the whole range.
   */
  private static String sql(Query q, Tuple args, int limit) {
    List<String> parts = new ArrayList<>(2);
    if (q.kind() == null || q.kind() == Kind.REQUEST) {
      parts.add(branch(REQUESTS, "started_at", "'request'::text", "request_id", q, args, limit));
    }
    if (q.kind() == null || q.kind() == Kind.ADMIN) {
      parts.add(branch(ADMIN, "at", "'admin'::text", "id", q, args, limit));
    }
    return "SELECT at, kind, id, record FROM (" + String.join(" UNION ALL ", parts) + ") AS u ORDER BY at, kind, id"
        + (limit > 0 ? " LIMIT " + limit : "");
  }

  private static String branch(String select, String at, String kind, String id, Query q, Tuple args, int limit) {
    List<String> where = new ArrayList<>();
    if (q.from() != null) {
      where.add(at + " >= $" + add(args, time(q.from())));
    }
    if (q.to() != null) {
      where.add(at + " < $" + add(args, time(q.to())));
    }
    if (q.tenantId() != null) {
      where.add("tenant_id = $" + add(args, q.tenantId()));
    }
    if (q.after() != null) {
      int t = add(args, time(q.after().at()));
      int k = add(args, q.after().kind());
      int i = add(args, q.after().id());
      // The first term lets an index on the time column bound the scan; the row comparison is exact.
      where.add(at + " >= $" + t + " AND (" + at + ", " + kind + ", " + id + ") > ($" + t + ", $" + k + "::text, $"
          + i + "::text)");
    }
    String sql = where.isEmpty() ? select : select + " WHERE " + String.join(" AND ", where);
    return limit > 0 ? "(" + sql + " ORDER BY " + at + ", " + id + " LIMIT " + limit + ")" : sql;
  }

  private static int add(Tuple args, Object value) {
    args.addValue(value);
    return args.size();
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
