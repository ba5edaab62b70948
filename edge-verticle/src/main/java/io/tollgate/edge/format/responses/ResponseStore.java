package io.tollgate.edge.format.responses;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Responses kept for their tenant when the client left {@code store} on, so that
 * {@code previous_response_id}, {@code GET} and {@code DELETE /v1/responses/{id}} work. This is
 * the one place the edge touches PostgreSQL: a store is the request's own work (like a batch), a
 * load happens only when a client continues a response, never on a plain request.
 */
public interface ResponseStore {

  /** No storage configured: nothing is kept, nothing is found. */
  ResponseStore NONE = new ResponseStore() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public Future<Stored> load(String tenantId, String id) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> save(String tenantId, Stored response) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> delete(String tenantId, String id) {
      return Future.succeededFuture(false);
    }
  };

  /**
   * A stored response.
   *
   * @param conversation the items that led to it (instructions excluded), to which its output is appended
   *                     when a later request continues it
   */
  record Stored(String id, JsonObject response, JsonArray conversation) {

    /** The conversation a continuation starts from: the items before, then this response's output. */
    public JsonArray continued() {
      JsonArray items = conversation.copy();
      JsonArray output = response.getJsonArray("output");
      return output == null ? items : items.addAll(output);
    }
  }

  boolean enabled();

  /** The response, or null when there is none for this tenant (never stored, deleted or expired). */
  Future<Stored> load(String tenantId, String id);

  Future<Void> save(String tenantId, Stored response);

  /** Whether there was one to delete. */
  Future<Boolean> delete(String tenantId, String id);
}
