package io.tollgate.edge;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * CORS for the admin web console's playground, and for nothing else: a request whose
 * {@code Origin} is one of the configured console origins gets the headers that let the page read
 * the answer (and its preflight a 204); any other request passes through exactly as before, so
 * server-to-server clients and other web pages see no change. No cookies are involved (the
 * playground sends a gateway key in {@code Authorization}), so credentials are never allowed.
 */
final class ConsoleCors {

  static final String ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS";
  static final String ALLOWED_HEADERS = "authorization, content-type, x-api-key";
  /** How long a browser may reuse a preflight answer. */
  static final int DEFAULT_MAX_AGE_SECONDS = 600;

  private final Set<String> origins;

  ConsoleCors(List<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("origin");
    if (origin == null || !origins.contains(origin)) {
      ctx.next();
      return;
    }
    HttpServerResponse response = ctx.response()
        .putHeader("access-control-allow-origin", origin)
        .putHeader("vary", "Origin")
        .putHeader("access-control-expose-headers", "*");
    if (ctx.request().method() == HttpMethod.OPTIONS
        && ctx.request().getHeader("access-control-request-method") != null) {
      response.putHeader("access-control-allow-methods", ALLOWED_METHODS)
          .putHeader("access-control-allow-headers", ALLOWED_HEADERS)
          .putHeader("access-control-max-age", Integer.toString(DEFAULT_MAX_AGE_SECONDS))
          .setStatusCode(204).end();
      return;
    }
    ctx.next();
  }
}
