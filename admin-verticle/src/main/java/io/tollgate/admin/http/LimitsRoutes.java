package io.tollgate.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.admin.AdminErrors;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.api.config.GlobalLimits;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;

/**
 * {@code /admin/v1/limits}: the gateway-wide limits every edge node enforces, the {@code limits}
 * section of the config file. PUT replaces them whole ({@code {}} removes them); edges apply a
 * change within a second, like any config change.
 */
final class LimitsRoutes {

  private static final String[] COUNTS = {"rpm", "tpm"};

  private final ConfigStore store;

  LimitsRoutes(ConfigStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.get("/admin/v1/limits").handler(ctx -> Http.reply(ctx, store.limits(), 200));
    router.put("/admin/v1/limits").handler(this::put);
  }

  private void put(RoutingContext ctx) {
    ObjectNode body = Http.object(ctx);
    for (String field : COUNTS) {
      JsonNode v = body.get(field);
      if (v != null && !v.isNull() && (!v.isIntegralNumber() || v.asLong() < 0)) {
        throw AdminErrors.badRequest("'" + field + "' must be a whole number >= 0 (or null: unlimited)", field);
      }
    }
    JsonNode failClosed = body.get("fail_closed");
    if (failClosed != null && !failClosed.isNull() && !failClosed.isBoolean()) {
      throw AdminErrors.badRequest("'fail_closed' must be true or false", "fail_closed");
    }
    GlobalLimits limits;
    try {
      limits = AdminJson.JSON.treeToValue(body, GlobalLimits.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    Http.reply(ctx, store.putLimits(limits), 200);
  }
}
