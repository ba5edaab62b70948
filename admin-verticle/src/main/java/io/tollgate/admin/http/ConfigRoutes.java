package io.tollgate.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.api.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code /admin/v1/config}: the config file format. The export holds {@code models} only (literal
 * credentials masked): key secrets are not stored, so keys cannot be exported in the file's
 * {@code keys[]} form; list them with {@code GET /admin/v1/keys}. Importing the export changes
 * nothing.
 */
final class ConfigRoutes {

  static final String YAML_TYPE = "application/yaml";
  private static final String HEADER = "# Tollgate configuration export. Models only: API keys are stored as hashes\n"
      + "# and cannot be exported (list them with GET /admin/v1/keys). Masked api_key values\n"
      + "# (********) keep the stored credential when this file is imported again.\n";

  private final ConfigStore store;
  private final io.tollgate.api.config.EgressPolicy egress;

  ConfigRoutes(ConfigStore store, io.tollgate.api.config.EgressPolicy egress) {
    this.store = store;
    this.egress = egress;
  }

  void mount(Router router) {
    router.get("/admin/v1/config").handler(this::export);
    router.put("/admin/v1/config").handler(this::importConfig);
  }

  private void export(RoutingContext ctx) {
    store.models().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Map<String, Object> doc = Map.of("models", ar.result().stream().map(ModelSpecs::masked).toList());
      String yaml;
      try {
        yaml = HEADER + AdminJson.YAML.writeValueAsString(doc);
      } catch (JsonProcessingException e) {
        ctx.fail(e);
        return;
      }
      ctx.response().putHeader("content-type", YAML_TYPE).end(yaml);
    });
  }

  /** Accepts YAML or JSON (JSON is YAML). */
  private void importConfig(RoutingContext ctx) {
    Http.reply(ctx, store.importConfig(parse(ctx.body().buffer(), egress)), 200);
  }

  /** The body as a config file, or a 400. */
  static GatewayConfig parse(Buffer body) {
    return parse(body, io.tollgate.api.config.EgressPolicy.DEFAULTS);
  }

  static GatewayConfig parse(Buffer body, io.tollgate.api.config.EgressPolicy egress) {
    if (body == null || body.length() == 0) {
      throw AdminErrors.invalidJson("request body is empty: send the config file (YAML)");
    }
    GatewayConfig config;
    try {
      config = AdminJson.YAML.readValue(body.getBytes(), GatewayConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NumberFormatException e) {
      throw AdminJson.numberOutOfRange(e);
    }
    if (config == null) {
      throw AdminErrors.invalidJson("request body is empty: send the config file (YAML)");
    }
    for (int i = 0; i < config.models().size(); i++) {
      String error = io.tollgate.api.config.ModelConfig.policyError(config.models().get(i).policy());
      if (error != null) {
        throw AdminErrors.badRequest("'models[" + i + "].policy': " + error, "models[" + i + "].policy");
      }
      String[] rulesError = config.models().get(i).rulesError() != null ? config.models().get(i).rulesError()
          : config.models().get(i).canaryError() != null ? config.models().get(i).canaryError()
          : config.models().get(i).cacheError();
      if (rulesError != null) {
        throw AdminErrors.badRequest("'models[" + i + "]." + rulesError[0] + "': " + rulesError[1],
            "models[" + i + "]." + rulesError[0]);
      }
      ModelSpecs.checkEgress(config.models().get(i), egress, "models[" + i + "].");
      ModelSpecs.checkCapabilities(config.models().get(i), "models[" + i + "].");
    }
    AdminJson.requireStorable(AdminJson.JSON.valueToTree(config), null);
    return config;
  }
}
