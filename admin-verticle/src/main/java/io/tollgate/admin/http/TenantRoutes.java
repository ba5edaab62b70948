package io.tollgate.admin.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.model.TenantBody;
import io.tollgate.admin.store.ConfigStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /admin/v1/tenants}. */
final class TenantRoutes {

  static final Set<String> PATCHABLE = Set.of("name", "enabled", "limits", "audit");

  private final ConfigStore store;

  TenantRoutes(ConfigStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.post("/admin/v1/tenants").handler(this::create);
    router.get("/admin/v1/tenants").handler(this::list);
    router.get("/admin/v1/tenants/:id").handler(this::get);
    router.patch("/admin/v1/tenants/:id").handler(this::patch);
    router.delete("/admin/v1/tenants/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Http.reply(ctx, store.createTenant(Http.body(ctx, TenantBody.class)), 201);
  }

  private void list(RoutingContext ctx) {
    Http.reply(ctx, store.tenants().map(Http::list), 200);
  }

  private void get(RoutingContext ctx) {
    Http.reply(ctx, store.tenant(ctx.pathParam("id")), 200);
  }

  private void patch(RoutingContext ctx) {
    ObjectNode patch = Http.patch(ctx, PATCHABLE);
    Http.reply(ctx, store.updateTenant(ctx.pathParam("id"), t -> Http.merge(t, patch, TenantBody.class)), 200);
  }

  private void delete(RoutingContext ctx) {
    Http.reply(ctx, store.deleteTenant(ctx.pathParam("id")), 204);
  }
}
