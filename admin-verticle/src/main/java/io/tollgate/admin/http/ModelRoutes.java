package io.tollgate.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.api.config.EgressPolicy;
import io.tollgate.api.config.ModelConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;

/**
 * {@code /admin/v1/models}: bodies have the shape of a {@code models[]} entry of the config file.
 * Literal upstream credentials are masked in every answer; references are shown as they are.
 */
final class ModelRoutes {

  /** Model names may contain slashes ({@code meta-llama/Llama-3-8B}), so the name is the rest of the path. */
  private static final String BY_NAME = "/admin/v1/models/(?<name>.+)";

  private final ConfigStore store;
  private final EgressPolicy egress;

  ModelRoutes(ConfigStore store, EgressPolicy egress) {
    this.store = store;
    this.egress = egress;
  }

  void mount(Router router) {
    router.post("/admin/v1/models").handler(this::create);
    router.get("/admin/v1/models").handler(this::list);
    router.getWithRegex(BY_NAME).handler(this::get);
    router.putWithRegex(BY_NAME).handler(this::put);
    router.deleteWithRegex(BY_NAME).handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Http.reply(ctx, store.createModel(parse(Http.object(ctx), egress)).map(ModelSpecs::masked), 201);
  }

  private void list(RoutingContext ctx) {
    Http.reply(ctx, store.models().map(models -> Http.list(models.stream().map(ModelSpecs::masked).toList())), 200);
  }

  private void get(RoutingContext ctx) {
    Http.reply(ctx, store.model(ctx.pathParam("name")).map(ModelSpecs::masked), 200);
  }

  /** Creates or replaces the model; the body's name, if given, must be the one in the path. */
  private void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ObjectNode body = Http.object(ctx);
    if (!body.has("name")) {
      body.put("name", name);
    } else if (!name.equals(body.get("name").asText())) {
      throw AdminErrors.badRequest("'name' must be the model name in the path ('" + name + "')", "name");
    }
    Http.reply(ctx, store.putModel(parse(body, egress)).map(ModelSpecs::masked), 200);
  }

  private void delete(RoutingContext ctx) {
    Http.reply(ctx, store.deleteModel(ctx.pathParam("name")), 204);
  }

  static ModelConfig parse(ObjectNode body) {
    return parse(body, EgressPolicy.DEFAULTS);
  }

  static ModelConfig parse(ObjectNode body, EgressPolicy egress) {
    try {
      ModelConfig model = ModelSpecs.parse(body);
      ModelSpecs.checkEgress(model, egress, "");
      return model;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
