package io.tollgate.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.AdminErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading request bodies into records and writing JSON answers. */
final class Http {

  private Http() {
  }

  /** The body as {@code type}, strictly (unknown fields are a 400). */
  static <T> T body(RoutingContext ctx, Class<T> type) {
    return body(ctx.body().buffer(), type);
  }

  static <T> T body(Buffer body, Class<T> type) {
    try {
      return AdminJson.JSON.treeToValue(object(body), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body as a JSON tree, which must be an object. */
  static ObjectNode object(RoutingContext ctx) {
    return object(ctx.body().buffer());
  }

  static ObjectNode object(Buffer body) {
    JsonNode tree;
    try {
      tree = AdminJson.tree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!tree.isObject()) {
      throw AdminErrors.badRequest("the request body must be a JSON object", null);
    }
    return (ObjectNode) tree;
  }

  /**
   * The body of a PATCH. Only {@code allowed} fields may be sent; an explicit null clears a field.
   */
  static ObjectNode patch(RoutingContext ctx, Set<String> allowed) {
    return patch(ctx.body().buffer(), allowed);
  }

  static ObjectNode patch(Buffer body, Set<String> allowed) {
    ObjectNode patch = object(body);
    for (var it = patch.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw AdminErrors.badRequest("field '" + field + "' cannot be changed here", field);
      }
    }
    return patch;
  }

  /** {@code current} with the fields of {@code patch} laid over it. */
  static <T> T merge(T current, ObjectNode patch, Class<T> type) {
    ObjectNode base = AdminJson.JSON.valueToTree(current);
    base.setAll(patch);
    try {
      return AdminJson.JSON.treeToValue(base, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the exchange with {@code value} as JSON, or fails it with the future's error. */
  static <T> void reply(RoutingContext ctx, Future<T> result, int status) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() == null) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(AdminJson.write(ar.result()));
      }
    });
  }

  /** An OpenAI-style list. */
  static Map<String, Object> list(List<?> data) {
    return Map.of("object", "list", "data", data);
  }
}
