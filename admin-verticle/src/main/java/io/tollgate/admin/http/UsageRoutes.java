package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.store.UsageReports;
import io.tollgate.admin.store.UsageReports.Group;
import io.tollgate.admin.store.UsageReports.Query;
import io.tollgate.admin.store.UsageReports.Report;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /admin/v1/usage} (reports from the rollups, JSON or CSV) and {@code /admin/v1/requests/{id}}. */
final class UsageRoutes {

  /** Without {@code from}: this long before {@code to}. */
  static final Duration DEFAULT_SPAN = Duration.ofDays(30);

  private final UsageReports reports;

  UsageRoutes(UsageReports reports) {
    this.reports = reports;
  }

  void mount(Router router) {
    router.get("/admin/v1/usage").handler(this::usage);
    router.get("/admin/v1/requests/:id").handler(this::request);
  }

  private void usage(RoutingContext ctx) {
    Instant to = time(ctx, "to", Instant.now());
    Instant from = time(ctx, "from", to.minus(DEFAULT_SPAN));
    if (!from.isBefore(to)) {
      throw AdminErrors.badRequest("from must be before to", "from");
    }
    List<Group> groups = new ArrayList<>();
    String groupBy = ctx.request().getParam("group_by");
    if (groupBy != null && !groupBy.isBlank()) {
      for (String part : groupBy.split(",")) {
        Group g = Group.of(part.trim());
        if (!groups.contains(g)) {
          groups.add(g);
        }
      }
    }
    String format = ctx.request().getParam("format", "json");
    if (!format.equals("json") && !format.equals("csv")) {
      throw AdminErrors.badRequest("format must be json or csv", "format");
    }
    Query q = new Query(from, to, groups, ctx.request().getParam("tenant_id"), ctx.request().getParam("key_id"),
        ctx.request().getParam("model"));
    reports.usage(q).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (format.equals("csv")) {
        ctx.response().putHeader("content-type", "text/csv; charset=utf-8").end(csv(groups, ar.result()));
      } else {
        ctx.response().putHeader("content-type", "application/json")
            .end(AdminJson.write(Map.of("rows", ar.result().rows(), "totals", ar.result().totals())));
      }
    });
  }

  private void request(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    reports.request(id).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() == null) {
        ctx.fail(AdminErrors.notFound("no ledger record for request '" + id + "'"));
      } else {
        ctx.response().putHeader("content-type", "application/json").end(AdminJson.write(ar.result()));
      }
    });
  }

  /** An ISO-8601 instant, or a date (its start, UTC). */
  private static Instant time(RoutingContext ctx, String name, Instant otherwise) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw AdminErrors.badRequest(name + " must be an ISO-8601 instant (2026-11-27T10:00:00Z) or a date "
          + "(2026-11-27), got '" + value + "'", name);
    }
  }

  static String csv(List<Group> groups, Report report) {
    StringBuilder out = new StringBuilder();
    List<String> columns = new ArrayList<>();
    groups.forEach(g -> columns.add(g.field()));
    columns.addAll(UsageReports.METRICS);
    out.append(String.join(",", columns)).append("\r\n");
    for (Map<String, Object> row : report.rows()) {
      for (int i = 0; i < columns.size(); i++) {
        Object v = row.get(columns.get(i));
        out.append(i == 0 ? "" : ",").append(v == null ? "" : cell(v.toString()));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  /** RFC 4180 quoting; a leading formula character is neutralised for spreadsheets. */
  private static String cell(String v) {
    String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+") ? "'" + v : v;
    return s.matches(".*[\",\r\n].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
