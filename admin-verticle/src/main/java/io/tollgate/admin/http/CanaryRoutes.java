package io.tollgate.admin.http;

import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingCanary;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.UnaryOperator;

/**
 * A model's routing canary, one admin call per step:
 * <ul>
 *   <li>{@code PUT /admin/v1/models/{name}/canary}: roll a new routing version (policy, routing
 *       options, weights) out to {@code percent} of tenants and/or named {@code tenants};</li>
 *   <li>{@code DELETE /admin/v1/models/{name}/canary}: roll it back (every tenant on the stable version);</li>
 *   <li>{@code POST /admin/v1/models/{name}/canary/promote}: make it the model's routing for everyone.</li>
 * </ul>
 * Each answers with the model as stored. Mounted before the model routes, whose name pattern would
 * take {@code name/canary} for a model name.
 */
final class CanaryRoutes {

  private static final String PATH = "/admin/v1/models/(?<name>.+)/canary";

  private final ConfigStore store;

  CanaryRoutes(ConfigStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.postWithRegex(PATH + "/promote").handler(this::promote);
    router.putWithRegex(PATH).handler(this::put);
    router.deleteWithRegex(PATH).handler(this::rollback);
  }

  private void put(RoutingContext ctx) {
    RoutingCanary canary = Http.body(ctx, RoutingCanary.class);
    change(ctx, "model.canary.put", model -> model.withCanary(canary));
  }

  private void rollback(RoutingContext ctx) {
    change(ctx, "model.canary.rollback", model -> model.withCanary(null));
  }

  private void promote(RoutingContext ctx) {
    change(ctx, "model.canary.promote", model -> {
      if (model.canary() == null) {
        throw AdminErrors.conflict("model " + model.name() + " has no canary to promote", "canary");
      }
      return model.canaryApplied();
    });
  }

  private void change(RoutingContext ctx, String action, UnaryOperator<ModelConfig> change) {
    Future<ModelConfig> saved = store.model(ctx.pathParam("name"))
        .map(change)
        .map(changed -> {
          String[] error = changed.canaryError();
          if (error != null) {
            throw AdminErrors.badRequest(error[1], error[0]);
          }
          return changed;
        })
        .compose(model -> store.putModel(model, action));
    Http.reply(ctx, saved.map(ModelSpecs::masked), 200);
  }
}
