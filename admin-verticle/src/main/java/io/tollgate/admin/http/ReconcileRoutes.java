package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.usage.ReconcileReport;
import io.tollgate.api.usage.ReconcileRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /admin/v1/reconcile?day=YYYY-MM-DD}: the ledger's UTC day against the limits' Redis
 * counters, run now by a billing node that reaches Redis (default day: yesterday).
 */
final class ReconcileRoutes {

  /** A day's reconciliation is one query and a few MGETs; this is reached only if billing is stuck. */
  static final long DEFAULT_TIMEOUT_MS = 60_000;

  private final Vertx vertx;

  ReconcileRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.post("/admin/v1/reconcile").handler(this::reconcile);
  }

  private void reconcile(RoutingContext ctx) {
    String param = ctx.request().getParam("day");
    LocalDate day;
    try {
      day = param == null || param.isBlank() ? LocalDate.now(ZoneOffset.UTC).minusDays(1) : LocalDate.parse(param);
    } catch (DateTimeParseException e) {
      throw AdminErrors.badRequest("day must be a date like 2026-11-27 (UTC), got '" + param + "'", "day");
    }
    Future<Map<String, Object>> answer = vertx.eventBus().<ReconcileReport>request(Addresses.BILLING_RECONCILE,
            new ReconcileRequest(day), new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS))
        .map(Message::body)
        .map(ReconcileRoutes::view)
        .recover(t -> Future.failedFuture(t instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
            ? new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "no billing node that reaches the limits' Redis is "
                + "running (the billing role needs TOLLGATE_REDIS_URL in a cluster)")
            : GatewayException.from(t)));
    Http.reply(ctx, answer, 200);
  }

  static Map<String, Object> view(ReconcileReport report) {
    List<Map<String, Object>> differences = new ArrayList<>();
    for (ReconcileReport.Difference d : report.differences()) {
      Map<String, Object> ledger = new LinkedHashMap<>();
      ledger.put("requests", d.ledgerRequests());
      ledger.put("cost_usd", d.ledgerUsd().toPlainString());
      ledger.put("tokens", d.ledgerTokens());
      Map<String, Object> redis = new LinkedHashMap<>();
      redis.put("cost_usd", d.redisUsd() == null ? null : d.redisUsd().toPlainString());
      redis.put("tokens", d.redisTokens());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("scope", d.scope());
      row.put(d.scope().equals("key") ? "key_id" : "tenant_id", d.id());
      row.put("ledger", ledger);
      row.put("redis", redis);
      row.put("cost_difference_usd", d.redisUsd() == null ? null
          : d.redisUsd().subtract(d.ledgerUsd()).toPlainString());
      row.put("token_difference", d.redisTokens() == null ? null : d.redisTokens() - d.ledgerTokens());
      differences.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("day", report.day().toString());
    out.put("ran_at", report.ranAt().toString());
    out.put("checked", report.checked());
    out.put("agree", differences.isEmpty());
    out.put("differences", differences);
    return out;
  }
}
