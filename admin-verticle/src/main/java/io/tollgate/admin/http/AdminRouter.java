package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.store.AuditQueries;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.UsageReports;
import io.tollgate.admin.store.WebhookStore;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.config.EgressPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/** The admin HTTP API: bearer-token auth on {@code /admin/v1/*}, one failure handler for all. */
public final class AdminRouter {

  public static final String OPENAPI_PATH = "/admin/openapi.json";
  /** The OpenAPI document on the classpath. */
  public static final String OPENAPI_RESOURCE = "io/tollgate/admin/openapi.json";

  private AdminRouter() {
  }

  public static Router create(Vertx vertx, ConfigStore store, String token, long maxBodyBytes, Buffer openApi) {
    return create(vertx, store, token, maxBodyBytes, openApi, EgressPolicy.DEFAULTS);
  }

  /** {@code egress}: the node's policy that deployment base URLs sent to the API must pass. */
  public static Router create(Vertx vertx, ConfigStore store, String token, long maxBodyBytes, Buffer openApi,
                              EgressPolicy egress) {
    return create(vertx, store, token, maxBodyBytes, openApi, egress, () -> null);
  }

  /**
   * {@code gatewayUrl}: the public URL of the gateway API, answered by {@code GET /admin/v1/info}
   * for the console's playground (null when unknown).
   */
  public static Router create(Vertx vertx, ConfigStore store, String token, long maxBodyBytes, Buffer openApi,
                              EgressPolicy egress, Supplier<String> gatewayUrl) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    Router router = Router.router(vertx);
    router.get(OPENAPI_PATH).handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openApi));
    new ConsoleRoutes().mount(router);
    router.route("/admin/v1/*").handler(ctx -> authenticate(ctx, expected));
    router.route("/admin/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    new InfoRoutes(gatewayUrl).mount(router);
    new TenantRoutes(store).mount(router);
    new KeyRoutes(store).mount(router);
    new RoutingRoutes(vertx).mount(router);
    new InvokeRoutes(vertx, store).mount(router);
    new CanaryRoutes(store).mount(router);
    new ModelRoutes(store, egress).mount(router);
    new ConfigRoutes(store, egress).mount(router);
    new LimitsRoutes(store).mount(router);
    new UsageRoutes(new UsageReports(store.sqlPool()), store).mount(router);
    new AuditRoutes(new AuditQueries(store.sqlPool())).mount(router);
    new WebhookRoutes(new WebhookStore(store.sqlPool())).mount(router);
    new ReconcileRoutes(vertx).mount(router);
    router.route().failureHandler(Failures::handle);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, Failures::handle);
    }
    return router;
  }

  private static void authenticate(RoutingContext ctx, byte[] expected) {
    String header = ctx.request().getHeader("Authorization");
    // Constant-time comparison: the token is the only thing between the internet and every key.
    if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected)) {
      ctx.fail(AdminErrors.of(ErrorCode.INVALID_API_KEY, "missing or wrong admin token "
          + "(send Authorization: Bearer <token>)", null));
      return;
    }
    ctx.next();
  }
}
