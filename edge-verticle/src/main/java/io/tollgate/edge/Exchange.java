package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One chat request in flight on this edge instance: waits for the router's decision, puts the
 * connector's chunks back in sequence order and writes them to the client as SSE or as one JSON
 * completion. Confined to the verticle's event loop, so it needs no locks.
 *
 * <p>Chunks may arrive before the router's answer (the connector streams as soon as it started);
 * they wait in {@code early} until the response headers can be written.
 */
final class Exchange {

  static final String ATTEMPTS = "tollgate.attempts";

  private final String requestId;
  private final String responseId;
  private final long created = System.currentTimeMillis() / 1000;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final ChatRequest chat;
  private final EventBus bus;
  private final long idleLimitNanos;
  private final long stallLimitNanos;
  private final Consumer<Exchange> onDone;

  private long lastActivity = System.nanoTime();
  private long stalledSince = -1;
  private long nextSeq;
  private TreeMap<Long, StreamChunk> outOfOrder;
  private final ArrayDeque<StreamChunk> early = new ArrayDeque<>();
  private CompletionAggregator aggregator;
  private RouteResult route;
  private Usage endUsage;
  private boolean clientGone;
  private boolean done;

  Exchange(String requestId, RoutingContext ctx, ChatRequest chat, EventBus bus, long idleLimitMs, long stallLimitMs,
           Consumer<Exchange> onDone) {
    this.requestId = requestId;
    this.responseId = "chatcmpl-" + requestId;
    this.ctx = ctx;
    this.response = ctx.response();
    this.chat = chat;
    this.bus = bus;
    this.idleLimitNanos = idleLimitMs * 1_000_000;
    this.stallLimitNanos = stallLimitMs * 1_000_000;
    this.onDone = onDone;
  }

  String requestId() {
    return requestId;
  }

  boolean clientGone() {
    return clientGone;
  }

  /** The router's answer once it came (null before, or if the router could not be asked). */
  RouteResult route() {
    return route;
  }

  /** The usage of the END chunk, null if the stream never ended (the edge gave up first). */
  Usage endUsage() {
    return endUsage;
  }

  boolean idleSince(long nowNanos) {
    return nowNanos - lastActivity > idleLimitNanos;
  }

  /**
   * A client that stops reading while the upstream keeps streaming would make the edge buffer
   * without bound. The connector cannot be slowed down over the event bus, so a client whose write
   * queue stays full for as long as the edge would wait between two upstream chunks is treated as
   * gone.
   */
  boolean stalledSince(long nowNanos) {
    return stalledSince >= 0 && nowNanos - stalledSince > stallLimitNanos;
  }

  private void watchBackpressure() {
    if (stalledSince < 0 && response.writeQueueFull()) {
      stalledSince = System.nanoTime();
      response.drainHandler(v -> stalledSince = -1);
    }
  }

  /** The client stopped reading: stop the upstream and drop the connection. */
  void abandonStalledClient() {
    clientClosed();
    response.reset();
  }

  /** The router answered: either a connector is streaming to us, or every candidate failed. */
  void routed(RouteResult result) {
    lastActivity = System.nanoTime();
    route = result;
    if (!result.ok()) {
      failBeforeStart(new GatewayException(result.error(), result.message()), result);
      return;
    }
    if (done || clientGone) {
      cancelUpstream(done ? "edge gave up" : "client closed the connection");
      return;
    }
    response.putHeader("x-tollgate-route", result.deploymentId())
        .putHeader("x-tollgate-attempts", Integer.toString(result.attempts().size()));
    if (chat.stream()) {
      response.setStatusCode(200).setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache")
          .putHeader("x-accel-buffering", "no");
      response.writeHead();
    } else {
      aggregator = new CompletionAggregator();
    }
    while (!early.isEmpty() && !done) {
      deliver(early.poll());
    }
  }

  /** The router could not be asked (none reachable, timed out). */
  void routeFailed(GatewayException e) {
    failBeforeStart(e, null);
  }

  /** A chunk from the connector, in any order. */
  void chunk(StreamChunk c) {
    lastActivity = System.nanoTime();
    if (c.seq() != nextSeq) {
      if (c.seq() > nextSeq) {
        if (outOfOrder == null) {
          outOfOrder = new TreeMap<>();
        }
        outOfOrder.put(c.seq(), c);
      }
      return;
    }
    accept(c);
    while (outOfOrder != null && !outOfOrder.isEmpty() && outOfOrder.firstKey() == nextSeq) {
      accept(outOfOrder.pollFirstEntry().getValue());
    }
  }

  private void accept(StreamChunk c) {
    nextSeq++;
    if (route == null) {
      early.add(c);
    } else {
      deliver(c);
    }
  }

  private void deliver(StreamChunk c) {
    if (!done && !clientGone && !c.events().isEmpty()) {
      if (chat.stream()) {
        // One write per message: a batch of events becomes one buffer for the socket.
        Buffer out = Buffer.buffer();
        for (List<ChoiceDelta> event : c.events()) {
          out.appendBuffer(OpenAiFormat.sse(OpenAiFormat.chunk(responseId, created, chat.model(), event,
              chat.includeUsage())));
        }
        response.write(out);
        watchBackpressure();
      } else {
        c.events().forEach(aggregator::add);
      }
    }
    if (c.isEnd()) {
      end(c);
    }
  }

  private void end(StreamChunk c) {
    endUsage = c.usage() == null ? Usage.ZERO : c.usage();
    if (!done && !clientGone) {
      if (c.status() == Outcome.Status.OK) {
        if (chat.stream()) {
          if (chat.includeUsage() && c.usage() != null) {
            response.write(OpenAiFormat.sse(OpenAiFormat.usageChunk(responseId, created, chat.model(), c.usage())));
          }
          response.end(OpenAiFormat.done());
        } else {
          response.putHeader("content-type", "application/json")
              .end(OpenAiFormat.completion(responseId, created, chat.model(), aggregator.choices(), c.usage())
                  .toBuffer());
        }
      } else {
        ErrorCode code = c.error() == null ? ErrorCode.UPSTREAM_ERROR : c.error();
        failAfterStart(new GatewayException(code, c.message() == null ? "the upstream stream failed" : c.message()));
      }
    }
    finish();
  }

  /** The client went away: stop the upstream now, but stay until the END chunk brings the usage. */
  void clientClosed() {
    if (done || clientGone) {
      return;
    }
    clientGone = true;
    if (route != null) {
      cancelUpstream("client closed the connection");
    }
  }

  /** No chunk for longer than the idle limit: the connector or its node is gone. */
  void expire() {
    if (route != null) {
      cancelUpstream("edge idle timeout");
    }
    if (!clientGone) {
      GatewayException e = new GatewayException(ErrorCode.GATEWAY_TIMEOUT,
          "The upstream stopped sending for too long; the request was abandoned.");
      if (route == null) {
        failBeforeStart(e, null);
        return;
      }
      failAfterStart(e);
    }
    finish();
  }

  private void failBeforeStart(GatewayException e, RouteResult result) {
    if (!done && !clientGone && !response.headWritten()) {
      if (result != null) {
        ctx.put(ATTEMPTS, result.attempts());
      }
      ctx.fail(e);
    }
    finish();
  }

  /** Headers are out: the stream ends with an OpenAI error event, or the JSON call with the error. */
  private void failAfterStart(GatewayException e) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.write(OpenAiFormat.sse(OpenAiFormat.error(e, null)));
      response.end(OpenAiFormat.done());
    } else {
      ctx.fail(e);
    }
  }

  private void cancelUpstream(String reason) {
    if (route == null || !route.ok()) {
      return;
    }
    bus.send(route.controlAddress(), new Cancel(requestId, reason));
  }

  private void finish() {
    if (!done) {
      done = true;
      onDone.accept(this);
    }
  }
}
