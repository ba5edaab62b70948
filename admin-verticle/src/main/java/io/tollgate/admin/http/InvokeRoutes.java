package io.tollgate.admin.http;

import io.tollgate.admin.invoke.InvokeBody;
import io.tollgate.admin.invoke.InvokeResult;
import io.tollgate.admin.invoke.Invoker;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/v1/models/{name}/invoke}: the operators' "slot test" of a model's chain. The
 * body is an OpenAI chat request (its {@code model} may be left out); the answer is always 200 once
 * a router answered, with {@code response: null} and the whole failover trace when every deployment
 * failed. {@code ?tenant=ID} routes as that tenant would be (its canary, rules on tenants). Mounted
 * before the model routes, whose name pattern would take {@code name/invoke}.
 */
final class InvokeRoutes {

  private static final String PATH = "/admin/v1/models/(?<name>.+)/invoke";

  private final ConfigStore store;
  private final Invoker invoker;

  InvokeRoutes(Vertx vertx, ConfigStore store) {
    this.store = store;
    this.invoker = new Invoker(vertx);
  }

  void mount(Router router) {
    router.postWithRegex(PATH).handler(this::invoke);
  }

  private void invoke(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ChatRequest chat = InvokeBody.parse(Http.object(ctx), name);
    // The admin's own database says which model the name means (aliases too) and its route budget.
    Future<InvokeResult> result = store.snapshot()
        .compose(snapshot -> {
          ModelConfig model = new ConfigIndex(snapshot).model(name);
          if (model == null) {
            return Future.failedFuture(new GatewayException(ErrorCode.MODEL_NOT_FOUND,
                "The model '" + name + "' does not exist", "name"));
          }
          return invoker.invoke(model, chat, ctx.queryParams().get("tenant"));
        });
    Http.reply(ctx, result, 200);
  }
}
