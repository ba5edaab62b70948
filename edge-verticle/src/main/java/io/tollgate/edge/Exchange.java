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
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One chat request in flight on this edge instance: waits for the router's decision, puts the
 * connector's messages back in sequence order and writes them to the client as SSE or as one JSON
 * completion. Confined to the verticle's event loop, so it needs no locks.
 *
 * <p>Phases: ROUTING (the router is trying candidates; the router's own deadline, the route
 * budget plus a hop margin, bounds it), STREAMING (one attempt, the one the router declared
 * started, is relayed; an idle limit runs from the last message that moved the stream forward, so
 * a gap that never fills ends it), LINGERING (the edge answered the client because the router did
 * not, and waits a while for the END of an upstream call that may have started anyway, to settle
 * its real usage), DONE. Messages of other attempts are dropped and their acks refused, which stops
 * a late starter at its connector.
 */
final class Exchange {

  enum Phase { ROUTING, STREAMING, LINGERING, DONE }

  /** What the demultiplexer tells a connector that asked for an ack. */
  enum Verdict { CONTINUE, STOP }

  /** Where cancels go: the connector instance that streams, or every connector of the model's providers. */
  interface Cancels {
    void toConnector(String controlAddress, Cancel cancel);

    void everywhere(Cancel cancel);
  }

  /** A buffered attempt before the router said which one counts. */
  private static final class Early {
    final AttemptStream order = new AttemptStream();
    final ArrayDeque<StreamChunk> ready = new ArrayDeque<>();
  }

  private final String requestId;
  private final InboundFormat format;
  private final AnswerWriter answer;
  private final ClientChannel client;
  private final boolean stream;
  private final ModelConfig model;
  private final Cancels cancels;
  private final LongSupplier nanoClock;
  private final long marginNanos;
  private final Consumer<Exchange> onDone;

  private Phase phase = Phase.ROUTING;
  private Map<Integer, Early> early;
  private AttemptStream current;
  private RouteResult route;
  private long lastProgress;
  private long idleLimitNanos;
  private long lingerDeadline;
  private long stalledSince = -1;
  private boolean sawChunk;
  private boolean clientGone;
  private Usage endUsage;
  private String endDeploymentId;
  private Runnable onLinger = () -> { };
  private java.util.function.UnaryOperator<GatewayException> shown = java.util.function.UnaryOperator.identity();
  private Outcome.Status endStatus;
  private ErrorCode endError;
  private ErrorCode failure;
  private boolean expired;
  private long firstOutputNanos = -1;
  /** Null unless the tenant stores prompts: the one check every other request pays per message. */
  private Transcript transcript;

  /**
   * @param idleMarginMs added to a deployment's idle timeout to get how long the edge waits for the
   *                     stream to move on (the connector's own timer fires first; this catches a
   *                     connector node that died)
   */
  Exchange(String requestId, InboundFormat format, ClientChannel client, ChatRequest chat, ModelConfig model,
           Cancels cancels, LongSupplier nanoClock, long idleMarginMs, Consumer<Exchange> onDone) {
    this(requestId, format, format.answer(requestId, chat), chat.stream(), client, model, cancels, nanoClock,
        idleMarginMs, onDone);
  }

  /**
   * Any operation: {@code answer} writes it in the client's format ({@code format} still writes
   * the errors), {@code stream} says whether it is an event stream or one JSON body.
   */
  Exchange(String requestId, InboundFormat format, AnswerWriter answer, boolean stream, ClientChannel client,
           ModelConfig model, Cancels cancels, LongSupplier nanoClock, long idleMarginMs, Consumer<Exchange> onDone) {
    this.requestId = requestId;
    this.format = format;
    this.answer = answer;
    this.client = client;
    this.stream = stream;
    this.model = model;
    this.cancels = cancels;
    this.nanoClock = nanoClock;
    this.marginNanos = idleMarginMs * 1_000_000L;
    this.onDone = onDone;
  }

  String requestId() {
    return requestId;
  }

  /** Run when the client has been answered but the exchange stays to settle (e.g. to free concurrency slots). */
  /** How failures are shown to this client (external keys: sanitized); identity by default. */
  void showErrorsAs(java.util.function.UnaryOperator<GatewayException> view) {
    this.shown = view;
  }

  void onLinger(Runnable action) {
    this.onLinger = action;
  }

  /** Keeps the answer's text for the audit log (a tenant that opted in). */
  void record(Transcript transcript) {
    this.transcript = transcript;
  }

  /** The text kept for the audit log, null for tenants that did not opt in. */
  Transcript transcript() {
    return transcript;
  }

  Phase phase() {
    return phase;
  }

  boolean clientGone() {
    return clientGone;
  }

  /** The router's answer once it came (null before, or if the router could not be asked). */
  RouteResult route() {
    return route;
  }

  /** The usage of the END message, null if none came (the edge gave up first). */
  Usage endUsage() {
    return endUsage;
  }

  /** The deployment the END message came from (prices the usage), null without one. */
  String endDeploymentId() {
    return endDeploymentId != null ? endDeploymentId : route != null ? route.deploymentId() : null;
  }

  /** The status of the END message, null if none came. */
  Outcome.Status endStatus() {
    return endStatus;
  }

  /** The error the END message carried, else the one the edge answered with (null: none). */
  ErrorCode error() {
    return endError != null ? endError : failure;
  }

  /** Whether the edge gave up on the stream (idle limit or linger deadline). */
  boolean expired() {
    return expired;
  }

  /** The clock reading when the first content reached this exchange, -1 if none did. */
  long firstOutputNanos() {
    return firstOutputNanos;
  }

  /** Whether an upstream call may have produced tokens: a started route, or any stream message seen. */
  boolean upstreamRan() {
    return (route != null && route.ok()) || sawChunk;
  }

  /** The router answered: either a connector is streaming to us, or every candidate failed. */
  void routed(RouteResult result) {
    if (phase == Phase.DONE || phase == Phase.LINGERING) {
      // Too late for the client; the stream's END (if any) still settles the usage.
      if (result.ok()) {
        route = phase == Phase.LINGERING ? result : route;
        cancels.toConnector(result.controlAddress(), new Cancel(requestId, result.attempt(), "edge gave up"));
      }
      return;
    }
    route = result;
    if (!result.ok()) {
      failBeforeStart(new GatewayException(result.error(), result.message(), result.param()), result);
      finish();
      return;
    }
    phase = Phase.STREAMING;
    Early mine = early == null ? null : early.remove(result.attempt());
    early = null; // other attempts' messages are dropped: the router cancelled them
    current = mine == null ? new AttemptStream() : mine.order;
    lastProgress = nanoClock.getAsLong();
    idleLimitNanos = idleMsOf(result.deploymentId()) * 1_000_000L + marginNanos;
    if (clientGone) {
      cancels.toConnector(result.controlAddress(), new Cancel(requestId, result.attempt(),
          "client closed the connection"));
    } else {
      client.putHeader("x-tollgate-route", result.deploymentId());
      if (result.decision().policy() != null) {
        client.putHeader("x-tollgate-policy", result.decision().policy());
      }
      client.putHeader("x-tollgate-attempts", Integer.toString(result.attempts().size()));
      if (stream) {
        client.startEventStream();
        Buffer start = answer.streamStart();
        if (start.length() > 0) {
          client.write(start);
        }
      }
    }
    if (mine != null) {
      while (!mine.ready.isEmpty() && phase == Phase.STREAMING) {
        deliver(mine.ready.poll());
      }
    }
  }

  /**
   * The router could not be asked or did not answer. {@code mayBeRunning}: it did not answer in
   * time, so an upstream call may have started (or may still start); it is cancelled everywhere and
   * the exchange lingers to settle whatever it produced.
   */
  void routeFailed(GatewayException e, boolean mayBeRunning) {
    if (phase != Phase.ROUTING) {
      return;
    }
    failBeforeStart(e, null);
    if (!mayBeRunning) {
      finish();
      return;
    }
    cancels.everywhere(new Cancel(requestId, Cancel.ANY_ATTEMPT, "edge gave up waiting for the router"));
    phase = Phase.LINGERING;
    lingerDeadline = nanoClock.getAsLong() + lingerNanos();
    onLinger.run();
    if (early != null) {
      for (Early e2 : early.values()) {
        if (e2.order.end() != null) {
          settleWith(e2.order.end());
          finish();
          return;
        }
      }
    }
  }

  /** A message from a connector, in any order, of any attempt. */
  Verdict chunk(StreamChunk c) {
    sawChunk = true;
    switch (phase) {
      case ROUTING -> {
        Early e = early(c.attempt());
        e.ready.addAll(e.order.offer(c));
        return clientGone ? Verdict.STOP : Verdict.CONTINUE;
      }
      case STREAMING -> {
        if (c.attempt() != route.attempt()) {
          return Verdict.STOP;
        }
        for (StreamChunk ready : current.offer(c)) {
          lastProgress = nanoClock.getAsLong();
          deliver(ready);
          if (phase != Phase.STREAMING) {
            break;
          }
        }
        return clientGone ? Verdict.STOP : Verdict.CONTINUE;
      }
      case LINGERING -> {
        if (c.isEnd() && (route == null || c.attempt() == route.attempt())) {
          settleWith(c);
          finish();
        }
        return Verdict.STOP;
      }
      default -> {
        return Verdict.STOP;
      }
    }
  }

  private Early early(int attempt) {
    if (early == null) {
      early = new HashMap<>(2);
    }
    return early.computeIfAbsent(attempt, a -> new Early());
  }

  private void deliver(StreamChunk c) {
    if (firstOutputNanos < 0 && !c.events().isEmpty()) {
      firstOutputNanos = nanoClock.getAsLong();
    }
    if (transcript != null) {
      transcript.add(c.events());
    }
    if (!clientGone && !client.finished() && !c.events().isEmpty()) {
      if (stream) {
        // One write per message: a batch of events becomes one buffer for the socket.
        client.write(answer.streamEvents(c.events()));
        watchBackpressure();
      } else {
        c.events().forEach(answer::add);
      }
    }
    if (c.isEnd()) {
      end(c);
    }
  }

  private void end(StreamChunk c) {
    settleWith(c);
    if (!clientGone && !client.finished()) {
      if (c.status() == Outcome.Status.OK) {
        if (stream) {
          client.end(answer.streamEnd(c.usage()));
        } else {
          if (c.result() != null) {
            answer.result(c.result());
          }
          Buffer body;
          try {
            body = answer.whole(c.usage());
          } catch (GatewayException e) {
            // An answer the writer cannot use (a unary call that brought no result): the client gets the error.
            failAfterStart(e);
            finish();
            return;
          }
          client.endJson(body);
        }
      } else {
        ErrorCode code = c.error() == null ? ErrorCode.UPSTREAM_ERROR : c.error();
        failAfterStart(new GatewayException(code, c.message() == null ? "the upstream stream failed" : c.message()));
      }
    }
    finish();
  }

  private void settleWith(StreamChunk end) {
    endUsage = end.usage() == null ? Usage.ZERO : end.usage();
    endDeploymentId = end.deploymentId();
    endStatus = end.status();
    endError = end.error();
  }

  /** The client went away: stop the upstream now, but stay until the END message brings the usage. */
  void clientClosed() {
    if (phase == Phase.DONE || clientGone) {
      return;
    }
    clientGone = true;
    if (phase == Phase.STREAMING) {
      cancels.toConnector(route.controlAddress(), new Cancel(requestId, route.attempt(),
          "client closed the connection"));
    }
  }

  /** Whether the watchdog should give this exchange up now. */
  boolean expired(long nowNanos) {
    return switch (phase) {
      case STREAMING -> nowNanos - lastProgress > idleLimitNanos;
      case LINGERING -> nowNanos - lingerDeadline > 0;
      default -> false;
    };
  }

  /** No progress within the idle limit (the connector or its node is gone, or a gap never filled). */
  void expire() {
    expired = true;
    if (phase == Phase.STREAMING) {
      cancels.toConnector(route.controlAddress(), new Cancel(requestId, route.attempt(), "edge idle timeout"));
      if (current.end() != null) {
        settleWith(current.end());
      }
      failure = ErrorCode.GATEWAY_TIMEOUT;
      if (!clientGone) {
        failAfterStart(new GatewayException(ErrorCode.GATEWAY_TIMEOUT, current.waitingForGap()
            ? "Part of the upstream stream was lost in the gateway; the request was abandoned."
            : "The upstream stopped sending for too long; the request was abandoned."));
      }
    }
    finish();
  }

  /**
   * A client that stops reading while the upstream keeps streaming would make the edge buffer
   * without bound. The connector cannot be slowed down over the event bus, so a client whose write
   * queue stays full for as long as the upstream may stay silent is treated as gone.
   */
  boolean stalled(long nowNanos) {
    return phase == Phase.STREAMING && !clientGone && stalledSince >= 0 && nowNanos - stalledSince > idleLimitNanos;
  }

  /** The client stopped reading: stop the upstream and drop the connection. */
  void abandonStalledClient() {
    clientClosed();
    client.reset();
  }

  private void watchBackpressure() {
    if (stalledSince < 0 && client.writeQueueFull()) {
      stalledSince = nanoClock.getAsLong();
      client.onDrain(() -> stalledSince = -1);
    }
  }

  private void failBeforeStart(GatewayException e, RouteResult result) {
    failure = e.code();
    if (!clientGone && !client.finished() && !client.headWritten()) {
      client.fail(e, result == null ? null : result.attempts());
    }
  }

  /** Headers are out: the stream ends with an error event in the client's format, or the JSON call with the error. */
  private void failAfterStart(GatewayException e) {
    failure = e.code();
    if (client.finished()) {
      return;
    }
    if (client.headWritten()) {
      client.end(format.streamError(shown.apply(e)));
    } else {
      client.fail(e, null);
    }
  }

  private long idleMsOf(String deploymentId) {
    for (DeploymentConfig d : model.deployments()) {
      if (d.id().equals(deploymentId)) {
        return d.timeouts().idleMs();
      }
    }
    return maxWaitMs();
  }

  /** How long a call that started without the router's word may take to report its END after a cancel. */
  private long lingerNanos() {
    return maxWaitMs() * 1_000_000L + marginNanos;
  }

  private long maxWaitMs() {
    long ms = 0;
    for (DeploymentConfig d : model.deployments()) {
      ms = Math.max(ms, Math.max(d.timeouts().idleMs(), d.timeouts().firstByteMs()));
    }
    return ms;
  }

  private void finish() {
    if (phase != Phase.DONE) {
      phase = Phase.DONE;
      early = null;
      onDone.accept(this);
    }
  }
}
