package io.tollgate.admin.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: static HTML, CSS and JavaScript modules from the jar's classpath under
 * {@code /console/}. No token is needed to load the pages; every call they make goes to the
 * token-protected admin API (or the gateway's public API), so the files hold nothing secret.
 */
final class ConsoleRoutes {

  static final String PATH = "/console";
  /** Where the files are on the classpath (admin-verticle's resources). */
  static final String RESOURCES = "io/tollgate/admin/console";

  /**
   * Scripts and styles only from the admin origin (no inline code, no third-party hosts); fetches
   * anywhere, because the playground calls the gateway's public URL, which is another origin.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data: blob:; connect-src *; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  void mount(Router router) {
    // Vert.x matches "/console" for "/console/" too: only the bare path is redirected (relative URLs need the slash).
    router.get(PATH).handler(ctx -> {
      if (ctx.request().path().equals(PATH)) {
        ctx.redirect(PATH + "/");
      } else {
        ctx.next();
      }
    });
    router.route(PATH + "/*").handler(ConsoleRoutes::headers)
        .handler(StaticHandler.create(RESOURCES).setCachingEnabled(false).setIndexPage("index.html"));
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        // Revalidate every load: a console upgraded with the jar must not run yesterday's modules.
        .putHeader("cache-control", "no-cache");
    ctx.next();
  }
}
