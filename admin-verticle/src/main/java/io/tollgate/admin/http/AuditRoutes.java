package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.store.AuditQueries;
import io.tollgate.admin.store.AuditQueries.Cursor;
import io.tollgate.admin.store.AuditQueries.Kind;
import io.tollgate.admin.store.AuditQueries.Query;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: {@code GET /admin/v1/audit} pages through request and admin-action records in a
 * stable order with a keyset cursor; {@code GET /admin/v1/tenants/{id}/audit/export} streams a
 * tenant's records as JSON lines (the same JSON per record as the query).
 */
final class AuditRoutes {

  static final String JSON_LINES = "application/x-ndjson";
  private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);

  private final AuditQueries queries;

  AuditRoutes(AuditQueries queries) {
    this.queries = queries;
  }

  void mount(Router router) {
    router.get("/admin/v1/audit").handler(this::query);
    router.get("/admin/v1/tenants/:id/audit/export").handler(this::export);
  }

  private void query(RoutingContext ctx) {
    Query q = parse(ctx, ctx.request().getParam("tenant_id"));
    queries.page(q).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      // Each record is JSON text already (built by PostgreSQL): joined, not parsed and written again.
      Buffer body = Buffer.buffer("{\"object\":\"list\",\"data\":[");
      for (int i = 0; i < ar.result().records().size(); i++) {
        body.appendString(i == 0 ? "" : ",").appendString(ar.result().records().get(i));
      }
      String next = ar.result().nextCursor();
      body.appendString("],\"next_cursor\":").appendString(next == null ? "null" : "\"" + next + "\"")
          .appendString("}");
      ctx.response().putHeader("content-type", "application/json").end(body);
    });
  }

  private void export(RoutingContext ctx) {
    Query q = parse(ctx, ctx.pathParam("id"));
    HttpServerResponse response = ctx.response().setChunked(true).putHeader("content-type", JSON_LINES);
    queries.export(q, response).onComplete(ar -> {
      if (ar.succeeded()) {
        response.end();
      } else if (response.closed()) {
        LOG.debug("audit export of tenant {} stopped: the client left", ctx.pathParam("id"));
      } else if (!response.headWritten()) {
        ctx.fail(ar.cause());
      } else {
        // Lines are out already: a cut connection is the only honest way to say the export is incomplete.
        LOG.warn("audit export of tenant {} failed midway: {}", ctx.pathParam("id"), ar.cause().getMessage());
        response.reset();
      }
    });
  }

  private static Query parse(RoutingContext ctx, String tenantId) {
    Instant from = UsageRoutes.time(ctx, "from", null);
    Instant to = UsageRoutes.time(ctx, "to", null);
    if (from != null && to != null && !from.isBefore(to)) {
      throw AdminErrors.badRequest("from must be before to", "from");
    }
    String kind = ctx.request().getParam("kind");
    String cursor = ctx.request().getParam("cursor");
    if (tenantId != null && tenantId.isBlank()) {
      throw AdminErrors.badRequest("tenant_id must not be empty", "tenant_id");
    }
    return new Query(from, to, tenantId, kind == null || kind.isEmpty() ? null : Kind.of(kind), limit(ctx),
        cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor));
  }

  private static int limit(RoutingContext ctx) {
    String value = ctx.request().getParam("limit");
    if (value == null || value.isEmpty()) {
      return AuditQueries.DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= AuditQueries.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw AdminErrors.badRequest("limit must be a whole number from 1 to " + AuditQueries.MAX_LIMIT + ", got '"
        + value + "'", "limit");
  }
}
