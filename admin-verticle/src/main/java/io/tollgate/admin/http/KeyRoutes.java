package io.tollgate.admin.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.model.IssuedKey;
import io.tollgate.admin.model.KeyBody;
import io.tollgate.admin.model.KeyView;
import io.tollgate.admin.store.ConfigStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /admin/v1/keys}: the secret appears in the answers to create and rotate, nowhere else. */
final class KeyRoutes {

  static final Set<String> PATCHABLE = Set.of("name", "enabled", "models", "expires_at", "ip_allow", "rpm",
      "tpm", "token_quota", "budget_usd", "concurrency", "cache");

  private final ConfigStore store;

  KeyRoutes(ConfigStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.post("/admin/v1/keys").handler(this::create);
    router.get("/admin/v1/keys").handler(this::list);
    router.get("/admin/v1/keys/:id").handler(this::get);
    router.patch("/admin/v1/keys/:id").handler(this::patch);
    router.post("/admin/v1/keys/:id/rotate").handler(this::rotate);
    router.post("/admin/v1/keys/:id/unfreeze").handler(this::unfreeze);
    router.delete("/admin/v1/keys/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Http.reply(ctx, store.createKey(Http.body(ctx, KeyBody.class)).map(IssuedKey::view), 201);
  }

  /** All keys, or one tenant's with {@code ?tenant_id=}. */
  private void list(RoutingContext ctx) {
    Http.reply(ctx, store.keys(ctx.queryParams().get("tenant_id"))
        .map(keys -> Http.list(keys.stream().map(k -> KeyView.of(k, null)).toList())), 200);
  }

  private void get(RoutingContext ctx) {
    Http.reply(ctx, store.key(ctx.pathParam("id")).map(k -> KeyView.of(k, null)), 200);
  }

  private void patch(RoutingContext ctx) {
    ObjectNode patch = Http.patch(ctx, PATCHABLE);
    Http.reply(ctx, store.updateKey(ctx.pathParam("id"), k -> Http.merge(k, patch, KeyBody.class))
        .map(k -> KeyView.of(k, null)), 200);
  }

  private void rotate(RoutingContext ctx) {
    Http.reply(ctx, store.rotateKey(ctx.pathParam("id")).map(IssuedKey::view), 200);
  }

  /** Lifts a freeze (a no-op on a key that is not frozen); the key's failures start counting afresh. */
  private void unfreeze(RoutingContext ctx) {
    Http.reply(ctx, store.channels().unfreeze(ctx.pathParam("id")).map(k -> KeyView.of(k, null)), 200);
  }

  private void delete(RoutingContext ctx) {
    Http.reply(ctx, store.deleteKey(ctx.pathParam("id")), 204);
  }
}
