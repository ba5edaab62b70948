package io.tollgate.edge.batch;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Files and batches as OpenAI's API shows them (times in unix seconds). */
final class BatchJson {

  static final String BATCH_COLUMNS = "id, endpoint, input_file_id, completion_window, status, metadata::text, total, "
      + "completed, failed, output_file_id, error_file_id, created_at, in_progress_at, finalizing_at, completed_at, "
      + "cancelling_at, cancelled_at, expires_at, expired_at";
  static final String FILE_COLUMNS = "id, purpose, filename, bytes, created_at";

  private BatchJson() {
  }

  static JsonObject file(Row r) {
    return new JsonObject().put("id", r.getString(0)).put("object", "file").put("bytes", r.getLong(3))
        .put("created_at", seconds(r.getOffsetDateTime(4))).put("filename", r.getString(2))
        .put("purpose", r.getString(1)).put("status", "processed");
  }

  static JsonObject batch(Row r) {
    String metadata = r.getString(5);
    return new JsonObject().put("id", r.getString(0)).put("object", "batch").put("endpoint", r.getString(1))
        .putNull("errors").put("input_file_id", r.getString(2)).put("completion_window", r.getString(3))
        .put("status", r.getString(4)).put("output_file_id", r.getString(9)).put("error_file_id", r.getString(10))
        .put("created_at", seconds(r.getOffsetDateTime(11))).put("in_progress_at", seconds(r.getOffsetDateTime(12)))
        .put("expires_at", seconds(r.getOffsetDateTime(17))).put("finalizing_at", seconds(r.getOffsetDateTime(13)))
        .put("completed_at", seconds(r.getOffsetDateTime(14))).putNull("failed_at")
        .put("expired_at", seconds(r.getOffsetDateTime(18)))
        .put("cancelling_at", seconds(r.getOffsetDateTime(15))).put("cancelled_at", seconds(r.getOffsetDateTime(16)))
        .put("request_counts", new JsonObject().put("total", r.getInteger(6)).put("completed", r.getInteger(7))
            .put("failed", r.getInteger(8)))
        .put("metadata", metadata == null ? null : new JsonObject(metadata));
  }

  /** One line of an output or error file. */
  static JsonObject resultLine(String batchId, int lineNo, String customId, int status, String requestId,
                               String answer) {
    Object body;
    try {
      body = new JsonObject(answer);
    } catch (RuntimeException e) {
      body = answer;
    }
    return new JsonObject().put("id", "batch_req_" + batchId.substring(batchId.indexOf('_') + 1) + "_" + lineNo)
        .put("custom_id", customId)
        .put("response", new JsonObject().put("status_code", status).put("request_id", requestId).put("body", body))
        .putNull("error");
  }

  /** One line of the error file for a request the completion window ended before it ran. */
  static JsonObject expiredLine(String batchId, int lineNo, String customId) {
    return new JsonObject().put("id", "batch_req_" + batchId.substring(batchId.indexOf('_') + 1) + "_" + lineNo)
        .put("custom_id", customId).putNull("response")
        .put("error", new JsonObject().put("code", "batch_expired")
            .put("message", "This request could not be executed before the completion window expired."));
  }

  private static Long seconds(OffsetDateTime t) {
    return t == null ? null : t.toEpochSecond();
  }
}
