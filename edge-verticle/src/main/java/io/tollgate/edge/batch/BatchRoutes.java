package io.tollgate.edge.batch;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.keys.ApiKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;

/**
 * OpenAI's Files ({@code purpose=batch}) and Batches endpoints on the edge, after authentication.
 * They are not the chat hot path: each call is one or two PostgreSQL statements (the node's store,
 * as for stored responses). Without PostgreSQL on this node they answer 503.
 */
public final class BatchRoutes {

  private static final int DEFAULT_LIST_LIMIT = 20;
  private static final int MAX_LIST_LIMIT = 100;

  private final BatchStore store;
  private final Function<RoutingContext, ApiKey> keyOf;

  /** @param store null: this node has no PostgreSQL */
  public BatchRoutes(BatchStore store, Function<RoutingContext, ApiKey> keyOf) {
    this.store = store;
    this.keyOf = keyOf;
  }

  public void mount(Router router, String uploadsDirectory) {
    long maxFile = store == null ? BatchOptions.DEFAULT_MAX_FILE_BYTES : store.options().maxFileBytes();
    router.post("/v1/files").handler(BodyHandler.create(uploadsDirectory).setBodyLimit(maxFile)
        .setDeleteUploadedFilesOnEnd(true)).handler(this::upload);
    router.get("/v1/files").handler(this::listFiles);
    router.get("/v1/files/:id").handler(ctx -> answer(ctx, needStore().file(tenant(ctx), ctx.pathParam("id"))));
    router.delete("/v1/files/:id")
        .handler(ctx -> answer(ctx, needStore().deleteFile(tenant(ctx), ctx.pathParam("id"))));
    router.get("/v1/files/:id/content").handler(this::content);
    router.post("/v1/batches").handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(this::create);
    router.get("/v1/batches").handler(this::list);
    router.get("/v1/batches/:id").handler(ctx -> answer(ctx, needStore().batch(tenant(ctx), ctx.pathParam("id"))));
    router.post("/v1/batches/:id/cancel")
        .handler(ctx -> answer(ctx, needStore().cancel(tenant(ctx), ctx.pathParam("id"))));
  }

  private BatchStore needStore() {
    if (store == null) {
      throw new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "Batches need PostgreSQL, which this gateway node "
          + "does not have.");
    }
    return store;
  }

  private String tenant(RoutingContext ctx) {
    return keyOf.apply(ctx).tenantId();
  }

  private void upload(RoutingContext ctx) {
    BatchStore s = needStore();
    String purpose = ctx.request().getFormAttribute("purpose");
    if (purpose == null) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST, "purpose is required (multipart field 'purpose').",
          "purpose");
    }
    FileUpload file = ctx.fileUploads().stream().filter(f -> f.name().equals("file")).findFirst().orElse(null);
    if (file == null) {
      // A part without a filename arrives as a form field (small files only: the server's form-field limit).
      String inline = ctx.request().getFormAttribute("file");
      if (inline == null) {
        throw new GatewayException(ErrorCode.INVALID_REQUEST, "file is required (multipart field 'file').", "file");
      }
      answer(ctx, s.createFile(tenant(ctx), purpose, "upload.jsonl", Buffer.buffer(inline)));
      return;
    }
    String filename = file.fileName() == null || file.fileName().isBlank() ? "upload.jsonl" : file.fileName();
    answer(ctx, ctx.vertx().fileSystem().readFile(file.uploadedFileName())
        .compose(content -> s.createFile(tenant(ctx), purpose, filename, content)));
  }

  private void content(RoutingContext ctx) {
    onItsLoop(ctx, needStore().fileContent(tenant(ctx), ctx.pathParam("id"))).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(GatewayException.from(ar.cause()));
      } else {
        ctx.response().putHeader("content-type", "application/octet-stream").end(ar.result());
      }
    });
  }

  private void create(RoutingContext ctx) {
    BatchStore s = needStore();
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new GatewayException(ErrorCode.INVALID_JSON, "The body must be a JSON object.");
    }
    if (body == null) {
      throw new GatewayException(ErrorCode.INVALID_JSON, "The body must be a JSON object.");
    }
    ApiKey key = keyOf.apply(ctx);
    answer(ctx, s.createBatch(key.tenantId(), key.id(), text(body, "input_file_id"), text(body, "endpoint"),
        text(body, "completion_window"), body.getValue("metadata") instanceof JsonObject m ? m : null));
  }

  private void list(RoutingContext ctx) {
    answer(ctx, needStore().list(tenant(ctx), ctx.queryParams().get("after"), limit(ctx)));
  }

  /** {@code GET /v1/files}: the tenant's files, newest first, optionally of one {@code purpose}. */
  private void listFiles(RoutingContext ctx) {
    answer(ctx, needStore().listFiles(tenant(ctx), ctx.queryParams().get("purpose"), ctx.queryParams().get("after"),
        limit(ctx)));
  }

  private static int limit(RoutingContext ctx) {
    int limit = DEFAULT_LIST_LIMIT;
    String raw = ctx.queryParams().get("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIST_LIMIT) {
        throw new GatewayException(ErrorCode.INVALID_REQUEST, "limit must be 1 to " + MAX_LIST_LIMIT + ".", "limit");
      }
    }
    return limit;
  }

  /** The pool may complete on another event loop: the request's handlers belong to its own. */
  private static <T> Future<T> onItsLoop(RoutingContext ctx, Future<T> result) {
    io.vertx.core.Context here = ctx.vertx().getOrCreateContext();
    io.vertx.core.Promise<T> hopped = io.vertx.core.Promise.promise();
    result.onComplete(ar -> here.runOnContext(v -> hopped.handle(ar)));
    return hopped.future();
  }

  private static String text(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String v) || v.isBlank()) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST, field + " is required.", field);
    }
    return v;
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> result) {
    onItsLoop(ctx, result).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(GatewayException.from(ar.cause()));
      } else {
        ctx.response().putHeader("content-type", "application/json").end(ar.result().toBuffer());
      }
    });
  }
}
