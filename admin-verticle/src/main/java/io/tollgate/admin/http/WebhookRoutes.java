package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.WebhookBody;
import io.tollgate.admin.store.WebhookStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;

/** {@code /admin/v1/webhooks} (where budget alerts go) and {@code /admin/v1/alerts} (what fired). */
final class WebhookRoutes {

  static final int DEFAULT_ALERTS = 100;
  static final Duration DEFAULT_ALERT_SPAN = Duration.ofDays(30);

  private final WebhookStore store;

  WebhookRoutes(WebhookStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.post("/admin/v1/webhooks").handler(this::create);
    router.get("/admin/v1/webhooks").handler(ctx -> Http.reply(ctx, store.list().map(Http::list), 200));
    router.get("/admin/v1/webhooks/:id").handler(ctx -> Http.reply(ctx, store.get(ctx.pathParam("id")), 200));
    router.delete("/admin/v1/webhooks/:id").handler(ctx -> Http.reply(ctx, store.delete(ctx.pathParam("id")), 204));
    router.get("/admin/v1/alerts").handler(this::alerts);
  }

  private void create(RoutingContext ctx) {
    Http.reply(ctx, store.create(Http.body(ctx, WebhookBody.class).validated()), 201);
  }

  private void alerts(RoutingContext ctx) {
    Instant to = UsageRoutes.time(ctx, "to", Instant.now());
    Instant from = UsageRoutes.time(ctx, "from", to.minus(DEFAULT_ALERT_SPAN));
    String limitParam = ctx.request().getParam("limit");
    int limit = DEFAULT_ALERTS;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > WebhookStore.MAX_ALERTS) {
        throw AdminErrors.badRequest("limit must be a whole number from 1 to " + WebhookStore.MAX_ALERTS, "limit");
      }
    }
    Http.reply(ctx, store.alerts(from, to, limit).map(Http::list), 200);
  }
}
