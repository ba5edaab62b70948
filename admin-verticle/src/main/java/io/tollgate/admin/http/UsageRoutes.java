package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.UsageReports;
import io.tollgate.admin.store.UsageReports.Group;
import io.tollgate.admin.store.UsageReports.Query;
import io.tollgate.admin.store.UsageReports.Report;
import io.tollgate.api.keys.BudgetUsd;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /admin/v1/usage} (reports from the rollups, JSON or CSV) and {@code /admin/v1/requests/{id}}. */
final class UsageRoutes {

  /** Without {@code from}: this long before {@code to}. */
  static final Duration DEFAULT_SPAN = Duration.ofDays(30);

  private final UsageReports reports;
  private final ConfigStore store;

  UsageRoutes(UsageReports reports, ConfigStore store) {
    this.reports = reports;
    this.store = store;
  }

  void mount(Router router) {
    router.get("/admin/v1/usage").handler(this::usage);
    router.get("/admin/v1/requests/:id").handler(this::request);
    router.get("/admin/v1/keys/:id/spend").handler(ctx -> {
      String id = ctx.pathParam("id");
      spend(ctx, "key_id", id, false, store.key(id).map(k -> k.key().limits().budgetUsd()));
    });
    router.get("/admin/v1/tenants/:id/spend").handler(ctx -> {
      String id = ctx.pathParam("id");
      spend(ctx, "tenant_id", id, true, store.tenant(id).map(t -> t.limits().budgetUsd()));
    });
  }

  /**
   * Spend against budget: what the ledger has billed this UTC day, month and in total, each
   * budget, and the fraction of it used. The ledger holds usage once billing acknowledged it, so
   * requests still streaming (and the last ~100 ms of batching) are not in it yet; the limits in
   * Redis count those as reservations. {@code ?at=} (ISO-8601) puts the day and month around
   * another instant.
   */
  private void spend(RoutingContext ctx, String idField, String id, boolean byTenant, Future<BudgetUsd> budget) {
    // ?at= asks for the day and month around another instant (a past invoice period); default now.
    Instant now = time(ctx, "at", Instant.now());
    budget.compose(b -> reports.spend(id, byTenant, now).map(s -> {
      BudgetUsd limits = b == null ? BudgetUsd.NONE : b;
      Map<String, Object> spent = new LinkedHashMap<>();
      spent.put("daily", s.day().toPlainString());
      spent.put("monthly", s.month().toPlainString());
      spent.put("total", s.total().toPlainString());
      Map<String, Object> budgets = new LinkedHashMap<>();
      budgets.put("daily", plain(limits.daily()));
      budgets.put("monthly", plain(limits.monthly()));
      budgets.put("total", plain(limits.total()));
      Map<String, Object> used = new LinkedHashMap<>();
      used.put("daily", fraction(s.day(), limits.daily()));
      used.put("monthly", fraction(s.month(), limits.monthly()));
      used.put("total", fraction(s.total(), limits.total()));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put(idField, id);
      out.put("as_of", now.toString());
      out.put("requests_today", s.requestsToday());
      out.put("spend_usd", spent);
      out.put("budget_usd", budgets);
      out.put("used", used);
      return out;
    })).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().putHeader("content-type", "application/json").end(AdminJson.write(ar.result()));
      }
    });
  }

  private static String plain(BigDecimal v) {
    return v == null ? null : v.toPlainString();
  }

  /** Spent / budget to 4 decimals (0.8 is 80%), null without a budget. */
  private static Double fraction(BigDecimal spent, BigDecimal budget) {
    if (budget == null || budget.signum() == 0) {
      return null;
    }
    return spent.divide(budget, 4, java.math.RoundingMode.HALF_UP).doubleValue();
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
  static Instant time(RoutingContext ctx, String name, Instant otherwise) {
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
