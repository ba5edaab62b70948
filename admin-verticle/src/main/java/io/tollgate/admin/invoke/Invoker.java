package io.tollgate.admin.invoke;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.routing.RouteDecision;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs one chat request through the normal routing path for an operator: a route request to the
 * routers over the event bus, which choose and call real connectors (failing over, retrying,
 * publishing outcomes as for any client), with this admin instance's stream address as the place
 * the chunks come to. Nothing is special-cased for the admin, so what it shows is what clients get.
 *
 * <p>Confined to the admin verticle's event loop (the HTTP handlers and the stream consumer share it).
 */
public final class Invoker {

  /** Extra wait for the router beyond the model's route budget: one event-bus hop each way. */
  public static final long ROUTER_HOP_MARGIN_MS = 2_000;

  private final Vertx vertx;
  private final String streamAddress;
  private final Future<Void> ready;
  private final Map<String, Pending> pending = new HashMap<>();

  /** Registers this instance's stream address; call on the admin verticle's context. */
  public Invoker(Vertx vertx) {
    this.vertx = vertx;
    this.streamAddress = "tollgate.admin." + UUID.randomUUID() + ".stream";
    MessageConsumer<StreamChunk> consumer = vertx.eventBus().consumer(streamAddress, this::onChunk);
    this.ready = consumer.completion();
  }

  public Future<InvokeResult> invoke(ModelConfig model, ChatRequest chat) {
    return invoke(model, chat, null);
  }

  /** @param tenantId the tenant to route as (its canary, its rules), null for none */
  public Future<InvokeResult> invoke(ModelConfig model, ChatRequest chat, String tenantId) {
    String requestId = "invoke-" + UUID.randomUUID();
    Pending p = new Pending(OpenAiChatFormat.INSTANCE.answer(requestId, chat));
    pending.put(requestId, p);
    long started = System.nanoTime();
    long budgetMs = model.routeBudgetMs();
    return ready
        .compose(v -> vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE,
            new RouteRequest(requestId, chat, streamAddress, null, tenantId, budgetMs),
            new DeliveryOptions().setSendTimeout(budgetMs + ROUTER_HOP_MARGIN_MS)))
        .map(Message::body)
        .recover(t -> Future.failedFuture(t instanceof GatewayException ? t : routerUnreachable(t)))
        .compose(result -> {
          if (!result.ok()) {
            return Future.succeededFuture(answer(result, null, null, started));
          }
          p.attempt = result.attempt();
          p.drop();
          long answerMs = answerTimeoutMs(model, result.deploymentId());
          long timer = vertx.setTimer(answerMs, id -> {
            if (p.promise.tryFail(new GatewayException(ErrorCode.UPSTREAM_TIMEOUT,
                "no complete answer within " + answerMs + " ms"))) {
              vertx.eventBus().send(result.controlAddress(),
                  new Cancel(requestId, result.attempt(), "admin invoke timed out"));
            }
          });
          p.checkComplete();
          return p.promise.future()
              .onComplete(x -> vertx.cancelTimer(timer))
              .map(end -> answer(result, p, end, started))
              .recover(t -> Future.succeededFuture(answer(result, p, null, started, GatewayException.from(t))));
        })
        .onComplete(x -> pending.remove(requestId));
  }

  private static GatewayException routerUnreachable(Throwable t) {
    GatewayException g = GatewayException.from(t);
    return g.code() == ErrorCode.GATEWAY_TIMEOUT || g.code() == ErrorCode.SERVICE_UNAVAILABLE
        ? new GatewayException(g.code(), "no router answered: " + g.getMessage()) : g;
  }

  /** The deployment's total timeout, and a margin for the last chunks to arrive. */
  private static long answerTimeoutMs(ModelConfig model, String deploymentId) {
    for (DeploymentConfig d : model.deployments()) {
      if (d.id().equals(deploymentId)) {
        return d.timeouts().totalMs() + ROUTER_HOP_MARGIN_MS;
      }
    }
    return Timeouts.DEFAULT_TOTAL_MS + ROUTER_HOP_MARGIN_MS;
  }

  private InvokeResult answer(RouteResult result, Pending p, StreamChunk end, long started) {
    return answer(result, p, end, started, null);
  }

  /**
   * @param end        the END chunk of the attempt that started, null if none did or it never came
   * @param streamFail why the started attempt gave no complete answer, null if it did
   */
  private InvokeResult answer(RouteResult result, Pending p, StreamChunk end, long started,
                              GatewayException streamFail) {
    long latencyMs = (System.nanoTime() - started) / 1_000_000;
    boolean answered = end != null && end.status() == Outcome.Status.OK;
    List<InvokeResult.TraceEntry> trace = new ArrayList<>();
    for (Attempt a : result.attempts()) {
      trace.add(new InvokeResult.TraceEntry(a.deploymentId(), a.provider(), a.ok() ? "ok" : "error",
          a.ok() ? null : a.error().code(), a.message(), a.millis()));
    }
    if (result.ok() && !answered && !trace.isEmpty()) {
      // The call started but its stream failed or never ended: the last attempt is not ok after all.
      InvokeResult.TraceEntry last = trace.remove(trace.size() - 1);
      ErrorCode code = end != null && end.error() != null ? end.error()
          : streamFail != null ? streamFail.code() : ErrorCode.UPSTREAM_ERROR;
      String message = end != null && end.message() != null ? end.message()
          : streamFail != null ? streamFail.getMessage() : "the stream ended without an answer";
      trace.add(new InvokeResult.TraceEntry(last.deploymentId(), last.provider(), "error", code.code(), message,
          last.latencyMs()));
    }
    RouteDecision d = result.decision();
    InvokeResult.Routing routing = new InvokeResult.Routing(d.policy(), result.deploymentId(), result.provider(),
        d.propensity(), d.reason(), d.routingVersion());
    Map<String, Object> response = null;
    InvokeResult.UsageView usage = null;
    if (end != null && end.usage() != null) {
      Usage u = end.usage();
      usage = new InvokeResult.UsageView(u.promptTokens(), u.completionTokens(), u.totalTokens(), u.estimated());
    }
    if (answered) {
      // The chat.completion exactly as the edge writes it for a non-streaming client.
      response = new JsonObject(p.answer(end.usage() == null ? Usage.ZERO : end.usage())).getMap();
    }
    return new InvokeResult(response, routing, trace, latencyMs, usage);
  }

  private void onChunk(Message<StreamChunk> msg) {
    StreamChunk chunk = msg.body();
    Pending p = pending.get(chunk.requestId());
    boolean wantsAck = msg.replyAddress() != null;
    boolean wanted = p != null && p.offer(chunk);
    if (wantsAck) {
      if (wanted) {
        msg.reply(null);
      } else {
        // As the edge does: a failed ack tells the connector that nobody reads this stream.
        msg.fail(p == null ? 404 : 410, "nobody reads attempt " + chunk.attempt() + " of " + chunk.requestId());
      }
    }
  }

  /** Chunks of one invoke; before the router answers, every attempt's are kept (one may start late). */
  private static final class Pending {
    final Promise<StreamChunk> promise = Promise.promise();
    final AnswerWriter writer;
    final List<StreamChunk> chunks = new ArrayList<>();
    int attempt = -1;

    boolean offer(StreamChunk c) {
      if (attempt >= 0 && c.attempt() != attempt) {
        return false;
      }
      chunks.add(c);
      checkComplete();
      return true;
    }

    void drop() {
      chunks.removeIf(c -> c.attempt() != attempt);
    }

    /** Complete once the END chunk and every chunk before it arrived (they may come out of order). */
    void checkComplete() {
      if (attempt < 0) {
        return;
      }
      for (StreamChunk c : chunks) {
        if (c.isEnd() && chunks.size() == c.seq() + 1) {
          promise.tryComplete(c);
        }
      }
    }

    Pending(AnswerWriter writer) {
      this.writer = writer;
    }

    /** The started attempt's events, in order, folded into one chat.completion. */
    Buffer answer(Usage usage) {
      chunks.stream().sorted((a, b) -> Long.compare(a.seq(), b.seq()))
          .forEach(c -> c.events().forEach(writer::add));
      return writer.whole(usage);
    }
  }
}
