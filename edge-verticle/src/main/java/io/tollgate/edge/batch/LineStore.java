package io.tollgate.edge.batch;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The workers' side of batch lines. A claim takes pending lines, and running lines whose lease ran
 * out (their worker died), of batches in progress, with {@code FOR UPDATE SKIP LOCKED} so nodes never
 * wait on each other, and gives each a fresh lease token. Recording an answer needs the current token:
 * a worker whose lease was taken over records nothing, so a line completes once.
 */
final class LineStore {

  /** A line a worker holds until {@code leaseMs} after its claim. */
  record Claimed(String batchId, int lineNo, String customId, String body, String keyId, String endpoint,
                 String token) {

    /** The request id the line runs under, the same on every try: billing keeps one charge per request id. */
    String requestId() {
      return "batch-" + batchId + "-" + lineNo;
    }
  }

  private final Pool pool;

  LineStore(Pool pool) {
    this.pool = pool;
  }

  Future<List<Claimed>> claim(int limit, long leaseMs) {
    String token = UUID.randomUUID().toString();
    return pool.preparedQuery("""
            UPDATE batch_lines l SET state = 'running', lease_token = $1,
                   lease_until = now() + $2 * interval '1 millisecond', tries = l.tries + 1
              FROM (SELECT c.batch_id, c.line_no, b.key_id, b.endpoint FROM batch_lines c
                      JOIN batches b ON b.id = c.batch_id
                     WHERE b.status = 'in_progress'
                       AND (c.state = 'pending' OR (c.state = 'running' AND c.lease_until < now()))
                     ORDER BY b.created_at, c.line_no LIMIT $3
                     FOR UPDATE OF c SKIP LOCKED) picked
             WHERE l.batch_id = picked.batch_id AND l.line_no = picked.line_no
            RETURNING l.batch_id, l.line_no, l.custom_id, l.body, picked.key_id, picked.endpoint""")
        .execute(Tuple.of(token, leaseMs, limit))
        .map(rows -> {
          List<Claimed> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Claimed(r.getString(0), r.getInteger(1), r.getString(2), r.getString(3), r.getString(4),
                r.getString(5), token));
          }
          return out;
        });
  }

  /** Records the answer if the lease is still this worker's; completes with whether it was recorded. */
  Future<Boolean> complete(Claimed line, int status, String answer) {
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE batch_lines SET state = 'done', status_code = $4, "
            + "answer = $5, request_id = $6, finished_at = now(), lease_token = NULL "
            + "WHERE batch_id = $1 AND line_no = $2 AND lease_token = $3 AND state = 'running'")
        .execute(Tuple.of(line.batchId(), line.lineNo(), line.token(), status, answer, line.requestId()))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery("UPDATE batches SET " + (status / 100 == 2 ? "completed = completed + 1"
                    : "failed = failed + 1") + " WHERE id = $1").execute(Tuple.of(line.batchId())).map(true)));
  }

  /**
   * Ends the batches that are done: in progress with every line answered (completed), in progress
   * past its completion window (expired: the lines not answered yet go to the error file as
   * {@code batch_expired}, and an answer that arrives later is not recorded), or cancelling with no
   * line still held under a live lease (cancelled). One transaction per batch writes its output and
   * error files and the final status, under the batch's row lock: two nodes never both do.
   */
  Future<Integer> finalizeReady() {
    return pool.query("""
            SELECT b.id, b.status FROM batches b
             WHERE (b.status = 'in_progress' AND NOT EXISTS
                     (SELECT 1 FROM batch_lines l WHERE l.batch_id = b.id AND l.state <> 'done'))
                OR (b.status = 'in_progress' AND b.expires_at < now())
                OR (b.status = 'cancelling' AND NOT EXISTS
                     (SELECT 1 FROM batch_lines l WHERE l.batch_id = b.id AND l.state = 'running'
                         AND l.lease_until > now()))""").execute()
        .compose(rows -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (Row r : rows) {
            String id = r.getString(0);
            String status = r.getString(1);
            chain = chain.compose(n -> pool.withTransaction(conn -> finalizeOne(conn, id, status)).map(n + 1));
          }
          return chain;
        });
  }

  private static Future<Void> finalizeOne(SqlConnection conn, String id, String expected) {
    return conn.preparedQuery("SELECT tenant_id, expires_at < now() FROM batches WHERE id = $1 AND status = $2 "
            + "FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(id, expected))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          Row batch = rows.iterator().next();
          String tenantId = batch.getString(0);
          boolean cancelled = expected.equals("cancelling");
          boolean pastWindow = !cancelled && Boolean.TRUE.equals(batch.getBoolean(1));
          // Past its window, what has not been answered is expired; its lease tokens go, so late answers are dropped.
          Future<List<Row>> expired = !pastWindow ? Future.succeededFuture(List.of())
              : conn.preparedQuery("UPDATE batch_lines SET state = 'done', lease_token = NULL, finished_at = now() "
                  + "WHERE batch_id = $1 AND state <> 'done' RETURNING line_no, custom_id").execute(Tuple.of(id))
                  .map(r -> {
                    List<Row> out = new ArrayList<>();
                    r.forEach(out::add);
                    return out;
                  });
          return expired.compose(gone -> conn.preparedQuery("SELECT line_no, custom_id, status_code, request_id, "
                  + "answer FROM batch_lines WHERE batch_id = $1 AND state = 'done' AND status_code IS NOT NULL "
                  + "ORDER BY line_no").execute(Tuple.of(id))
              .compose(lines -> {
                Buffer output = Buffer.buffer();
                Buffer errors = Buffer.buffer();
                for (Row l : lines) {
                  int status = l.getInteger(2);
                  (status / 100 == 2 ? output : errors).appendString(BatchJson.resultLine(id, l.getInteger(0),
                      l.getString(1), status, l.getString(3), l.getString(4)).encode()).appendString("\n");
                }
                for (Row l : gone) {
                  errors.appendString(BatchJson.expiredLine(id, l.getInteger(0), l.getString(1)).encode())
                      .appendString("\n");
                }
                Future<String> out = output.length() == 0 ? Future.succeededFuture(null)
                    : BatchStore.insertFile(conn, tenantId, "batch_output", id + "_output.jsonl", output)
                        .map(f -> f.getString("id"));
                Future<String> err = out.compose(o -> errors.length() == 0 ? Future.succeededFuture(null)
                    : BatchStore.insertFile(conn, tenantId, "batch_output", id + "_error.jsonl", errors)
                        .map(f -> f.getString("id")));
                boolean expiredNow = pastWindow && !gone.isEmpty();
                String status = cancelled ? "cancelled" : expiredNow ? "expired" : "completed";
                String when = cancelled ? "cancelled_at" : expiredNow ? "expired_at" : "completed_at";
                return err.compose(e -> conn.preparedQuery("UPDATE batches SET status = $2, finalizing_at = now(), "
                        + when + " = now(), output_file_id = $3, error_file_id = $4"
                        + (expiredNow ? ", failed = failed + " + gone.size() : "") + " WHERE id = $1")
                    .execute(Tuple.of(id, status, out.result(), e)))
                    .mapEmpty();
              }));
        });
  }
}
