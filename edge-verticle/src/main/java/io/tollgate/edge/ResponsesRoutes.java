package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.edge.format.InboundFormat;
import io.tollgate.edge.format.JsonFields;
import io.tollgate.edge.format.responses.ResponseStore;
import io.tollgate.edge.format.responses.ResponsesFormat;
import io.tollgate.edge.format.responses.ResponsesRequest;
import io.tollgate.edge.format.responses.ResponsesRequestParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Responses API endpoints around the shared chat pipeline: a request that continues a stored
 * response ({@code previous_response_id}) reads it with one primary-key query before routing, the
 * only case where a request waits on PostgreSQL; a response the client asked to store is written
 * after its answer went out, and a failed write is logged and counted, never failing the answer.
 * {@code GET} and {@code DELETE /v1/responses/{id}} see the key's tenant's responses only.
 */
final class ResponsesRoutes {

  /** How long a request waits for its previous response to be read before it gives up with a 503. */
  static final long DEFAULT_LOAD_TIMEOUT_MS = 5_000;

  /** The shared pipeline from a parsed request on (EdgeVerticle's admission, routing and streaming). */
  interface Admit {
    void admit(RoutingContext ctx, InboundFormat format, ChatRequest chat);
  }

  private final ResponseStore store;
  private final Admit admit;
  private final Consumer<Runnable> onLoop;
  private final Context context;

  ResponsesRoutes(ResponseStore store, Admit admit, Consumer<Runnable> onLoop, Context context) {
    this.store = store;
    this.admit = admit;
    this.onLoop = onLoop;
    this.context = context;
  }

  /**
   * WebSocket mode is not served: an upgrade gets an immediate 400 in the OpenAI envelope (no
   * handshake, no hanging socket), after which clients such as Codex use HTTP.
   */
  static void refuseWebSocket(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader("upgrade");
    if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
      ctx.fail(new GatewayException(ErrorCode.INVALID_REQUEST, "WebSocket mode of the Responses API is not "
          + "supported by this gateway; send POST /v1/responses over HTTP instead."));
      return;
    }
    ctx.next();
  }

  void create(RoutingContext ctx, ApiKey key) {
    JsonObject body = JsonFields.object(ctx.body().buffer());
    String previous = ResponsesRequestParser.previousResponseId(body);
    if (previous == null) {
      start(ctx, key, body, new JsonArray());
      return;
    }
    if (!store.enabled()) {
      throw JsonFields.invalid("previous_response_id", "stored responses are not enabled on this gateway; "
          + "send the whole conversation with store: false");
    }
    store.load(key.tenantId(), previous).timeout(DEFAULT_LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> onLoop.accept(() -> {
          if (ar.failed()) {
            ctx.fail(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
                "The previous response cannot be read right now; retry shortly."));
          } else if (ar.result() == null) {
            ctx.fail(new GatewayException(ErrorCode.NOT_FOUND,
                "Previous response with id '" + previous + "' not found.", "previous_response_id"));
          } else {
            try {
              start(ctx, key, body, ar.result().continued());
            } catch (GatewayException e) {
              ctx.fail(e);
            }
          }
        }));
  }

  private void start(RoutingContext ctx, ApiKey key, JsonObject body, JsonArray previousItems) {
    ResponsesRequest parsed = ResponsesRequestParser.parse(body, previousItems);
    boolean keep = parsed.store() && store.enabled();
    // The answer says whether it was stored: store: true without a configured store is not kept.
    ResponsesRequest request = new ResponsesRequest(parsed.chat(), parsed.instructions(), keep,
        parsed.previousResponseId(), parsed.conversation(), parsed.echo());
    InboundFormat format = ResponsesFormat.forRequest(request, !keep ? done -> { } : done ->
        // Run after the current task, which writes the answer: the client never waits for the write.
        context.runOnContext(v -> store.save(key.tenantId(),
            new ResponseStore.Stored(done.getString("id"), done, request.conversation()))));
    admit.admit(ctx, format, request.chat());
  }

  void get(RoutingContext ctx, ApiKey key) {
    String id = ctx.pathParam("id");
    answer(ctx, store.load(key.tenantId(), id), found -> {
      if (found == null) {
        ctx.fail(notFound(id));
      } else {
        ctx.response().putHeader("content-type", "application/json").end(found.response().toBuffer());
      }
    });
  }

  void delete(RoutingContext ctx, ApiKey key) {
    String id = ctx.pathParam("id");
    answer(ctx, store.delete(key.tenantId(), id), deleted -> {
      if (!deleted) {
        ctx.fail(notFound(id));
      } else {
        ctx.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("id", id).put("object", "response").put("deleted", true).toBuffer());
      }
    });
  }

  private <T> void answer(RoutingContext ctx, Future<T> lookup, Consumer<T> then) {
    lookup.timeout(DEFAULT_LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> onLoop.accept(() -> {
      if (ar.failed()) {
        ctx.fail(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "Stored responses cannot be read right now; "
            + "retry shortly."));
      } else {
        then.accept(ar.result());
      }
    }));
  }

  private static GatewayException notFound(String id) {
    return new GatewayException(ErrorCode.NOT_FOUND, "Response with id '" + id + "' not found.");
  }
}
