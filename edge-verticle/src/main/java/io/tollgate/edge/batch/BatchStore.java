package io.tollgate.edge.batch;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Files and batch jobs in PostgreSQL (migration V8), always within the caller's tenant: an id of
 * another tenant is a 404 like an id that does not exist. Reactive client only: nothing blocks.
 */
public final class BatchStore {

  private final Pool pool;
  private final BatchOptions options;

  public BatchStore(Pool pool, BatchOptions options) {
    this.pool = pool;
    this.options = options;
  }

  Pool pool() {
    return pool;
  }

  BatchOptions options() {
    return options;
  }

  static String newId(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  Future<JsonObject> createFile(String tenantId, String purpose, String filename, Buffer content) {
    if (!"batch".equals(purpose)) {
      return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST,
          "purpose must be 'batch' (the only purpose this gateway stores files for)", "purpose"));
    }
    return Future.succeededFuture(content).map(c -> BatchInput.parse(c, null, options.maxLines()))
        .compose(valid -> insertFile(pool, tenantId, "batch", filename, content));
  }

  static Future<JsonObject> insertFile(io.vertx.sqlclient.SqlClient client, String tenantId, String purpose,
                                       String filename, Buffer content) {
    return client.preparedQuery("INSERT INTO batch_files (id, tenant_id, purpose, filename, bytes, content) "
            + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + BatchJson.FILE_COLUMNS)
        .execute(Tuple.of(newId("file-"), tenantId, purpose, filename, (long) content.length(), content))
        .map(rows -> BatchJson.file(rows.iterator().next()));
  }

  Future<JsonObject> file(String tenantId, String id) {
    return pool.preparedQuery("SELECT " + BatchJson.FILE_COLUMNS + " FROM batch_files WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> BatchJson.file(only(rows.iterator(), "file", id)));
  }

  /** Newest first, OpenAI's cursor paging ({@code after}: the last id of the previous page). */
  Future<JsonObject> listFiles(String tenantId, String purpose, String after, int limit) {
    List<Object> args = new ArrayList<>(List.of(tenantId, limit + 1));
    StringBuilder sql = new StringBuilder("SELECT " + BatchJson.FILE_COLUMNS + " FROM batch_files WHERE tenant_id = $1");
    if (purpose != null) {
      args.add(purpose);
      sql.append(" AND purpose = $").append(args.size());
    }
    if (after != null) {
      args.add(after);
      sql.append(" AND (created_at, id) < (SELECT created_at, id FROM batch_files WHERE id = $").append(args.size())
          .append(')');
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT $2");
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(r -> data.add(BatchJson.file(r)));
      return page(data, limit);
    });
  }

  /** Deletes the tenant's file (a batch keeps its lines; its output files can be deleted too). */
  Future<JsonObject> deleteFile(String tenantId, String id) {
    return pool.preparedQuery("DELETE FROM batch_files WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenantId, id))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            throw new GatewayException(ErrorCode.NOT_FOUND, "No file with id '" + id + "'.", "id");
          }
          return new JsonObject().put("id", id).put("object", "file").put("deleted", true);
        });
  }

  private static JsonObject page(JsonArray data, int limit) {
    boolean more = data.size() > limit;
    if (more) {
      data.remove(limit);
    }
    return new JsonObject().put("object", "list").put("data", data)
        .put("first_id", data.isEmpty() ? null : data.getJsonObject(0).getString("id"))
        .put("last_id", data.isEmpty() ? null : data.getJsonObject(data.size() - 1).getString("id"))
        .put("has_more", more);
  }

  Future<Buffer> fileContent(String tenantId, String id) {
    return pool.preparedQuery("SELECT content FROM batch_files WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> only(rows.iterator(), "file", id).getBuffer(0));
  }

  /** Validates the input file against the endpoint and stores the job with one row per line, in one transaction. */
  Future<JsonObject> createBatch(String tenantId, String keyId, String inputFileId, String endpoint,
                                 String window, JsonObject metadata) {
    if (!BatchInput.ENDPOINTS.contains(endpoint)) {
      return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, "endpoint must be one of "
          + BatchInput.ENDPOINTS + " (this gateway does not run batches of '" + endpoint + "')", "endpoint"));
    }
    if (!"24h".equals(window)) {
      return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST,
          "completion_window must be '24h'", "completion_window"));
    }
    String id = newId("batch_");
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT content FROM batch_files "
            + "WHERE tenant_id = $1 AND id = $2 AND purpose = 'batch'").execute(Tuple.of(tenantId, inputFileId))
        .compose(rows -> {
          Row file = only(rows.iterator(), "file", inputFileId);
          List<BatchInput.Line> lines = BatchInput.parse(file.getBuffer(0), endpoint, options.maxLines());
          List<Tuple> tuples = new ArrayList<>(lines.size());
          lines.forEach(l -> tuples.add(Tuple.of(id, l.lineNo(), l.customId(), l.body())));
          return conn.preparedQuery("INSERT INTO batches (id, tenant_id, key_id, endpoint, input_file_id, "
                  + "completion_window, status, metadata, total, in_progress_at, expires_at) VALUES ($1, $2, $3, $4, $5, "
                  + "$6, 'in_progress', $7::text::jsonb, $8, now(), now() + interval '24 hours')")
              .execute(Tuple.of(id, tenantId, keyId, endpoint, inputFileId, window,
                  metadata == null ? null : metadata.encode(), lines.size()))
              .compose(v -> conn.preparedQuery("INSERT INTO batch_lines (batch_id, line_no, custom_id, body) "
                  + "VALUES ($1, $2, $3, $4)").executeBatch(tuples))
              .compose(v -> conn.preparedQuery("SELECT " + BatchJson.BATCH_COLUMNS + " FROM batches WHERE id = $1")
                  .execute(Tuple.of(id)));
        })
        .map(rows -> BatchJson.batch(rows.iterator().next())));
  }

  Future<JsonObject> batch(String tenantId, String id) {
    return pool.preparedQuery("SELECT " + BatchJson.BATCH_COLUMNS + " FROM batches WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> BatchJson.batch(only(rows.iterator(), "batch", id)));
  }

  /** Newest first, OpenAI's cursor paging: {@code after} is the last id of the previous page. */
  Future<JsonObject> list(String tenantId, String after, int limit) {
    String sql = "SELECT " + BatchJson.BATCH_COLUMNS + " FROM batches WHERE tenant_id = $1"
        + (after == null ? "" : " AND (created_at, id) < (SELECT created_at, id FROM batches WHERE id = $3)")
        + " ORDER BY created_at DESC, id DESC LIMIT $2";
    Tuple args = after == null ? Tuple.of(tenantId, limit + 1) : Tuple.of(tenantId, limit + 1, after);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(r -> data.add(BatchJson.batch(r)));
      return page(data, limit);
    });
  }

  /** In progress becomes cancelling (workers stop taking its lines; it ends as cancelled with what ran). */
  Future<JsonObject> cancel(String tenantId, String id) {
    return pool.preparedQuery("UPDATE batches SET status = 'cancelling', cancelling_at = now() "
            + "WHERE tenant_id = $1 AND id = $2 AND status IN ('validating', 'in_progress')")
        .execute(Tuple.of(tenantId, id))
        .compose(v -> batch(tenantId, id))
        .map(b -> {
          String status = b.getString("status");
          if (!status.equals("cancelling") && !status.equals("cancelled")) {
            throw new GatewayException(ErrorCode.CONFLICT, "A batch that is " + status + " cannot be cancelled.");
          }
          return b;
        });
  }

  private static Row only(java.util.Iterator<Row> rows, String what, String id) {
    if (!rows.hasNext()) {
      throw new GatewayException(ErrorCode.NOT_FOUND, "No " + what + " with id '" + id + "'.", "id");
    }
    return rows.next();
  }
}
