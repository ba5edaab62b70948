package io.tollgate.admin.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /admin/v1/info}: what a client of the admin API (the web console) needs to know about
 * the gateway it manages, chiefly the public URL of the gateway API its playground calls.
 */
final class InfoRoutes {

  private final Supplier<String> gatewayUrl;

  /** {@code gatewayUrl}: asked per request, because an edge in the same JVM binds after the admin. */
  InfoRoutes(Supplier<String> gatewayUrl) {
    this.gatewayUrl = gatewayUrl;
  }

  void mount(Router router) {
    router.get("/admin/v1/info").handler(this::get);
  }

  private void get(RoutingContext ctx) {
    Http.reply(ctx, Future.succeededFuture(new Info(gatewayUrl.get(), ConsoleRoutes.PATH + "/")), 200);
  }

  /** {@code gatewayUrl} null: not known to this node (set TOLLGATE_PUBLIC_URL). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Info(String gatewayUrl, String consolePath) {
  }
}
