package io.tollgate.connector;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.ops.OperationResult;
import io.tollgate.api.trace.TraceContext;
import io.tollgate.api.trace.Tracing;
import io.tollgate.traffic.Pricing;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream call in flight, owned by the connector verticle's event loop (hence no locks).
 * It is the state machine PENDING (waiting for the upstream's status line) -> STREAMING -> DONE
 * and the one place that answers the router, ends the stream exactly once, enforces the
 * deployment's timeouts and publishes the outcome.
 *
 * <p>Timers: one for the whole call, and one "watch" timer that first guards the status line and
 * then the silence between chunks. The watch timer is not re-armed per chunk (that would cost a
 * timer operation per token); chunks only stamp the time and the timer, when it fires early,
 * re-arms itself for the rest of the idle window.
 */
final class ActiveCall implements ProviderCall {

  private Outcome outcome;
  private static final Logger LOG = LoggerFactory.getLogger(ActiveCall.class);

  private enum State { PENDING, STREAMING, DONE }

  private final Vertx vertx;
  private final Message<UpstreamCall> message;
  private final UpstreamCall call;
  private final String controlAddress;
  private final Consumer<ActiveCall> onDone;
  private final ChunkRelay relay;
  private final Timeouts timeouts;
  private final long receivedNanos = System.nanoTime();
  private State state = State.PENDING;
  private Runnable abort;
  private Usage reported;
  private Usage soFar;
  private OperationResult result;
  private int contentDeltas;
  private long firstContentNanos = -1;
  private long lastActivityNanos = receivedNanos;
  private long totalTimer = -1;
  private long watchTimer = -1;
  /** The upstream call's span (invalid with tracing off), child of the router's attempt span. */
  private final Span span;
  private final TraceContext upstreamTrace;

  ActiveCall(Vertx vertx, ConnectorOptions options, Message<UpstreamCall> message, String controlAddress,
             ChunkHop chunks, Consumer<ActiveCall> onDone) {
    this.vertx = vertx;
    this.message = message;
    this.call = message.body();
    this.controlAddress = controlAddress;
    this.onDone = onDone;
    this.timeouts = call.deployment().timeouts();
    this.relay = new ChunkRelay(chunks, vertx.getOrCreateContext(), call.streamAddress(),
        call.requestId(), call.attempt(), call.deployment().id(), options, failure -> cancel("edge gone"));
    Tracing tracing = options.getTracing();
    this.span = tracing.start("upstream", SpanKind.CLIENT, call.trace());
    if (tracing.on()) {
      span.setAttribute("tollgate.provider", call.deployment().provider());
      span.setAttribute("tollgate.deployment", call.deployment().id());
      span.setAttribute("tollgate.attempt", call.attempt());
      span.setAttribute("gen_ai.request.model", call.model());
    }
    this.upstreamTrace = Tracing.onward(span, call.trace());
  }

  @Override
  public TraceContext upstreamTrace() {
    return upstreamTrace;
  }

  void begin(Provider provider) {
    totalTimer = vertx.setTimer(timeouts.totalMs(), id -> onTotalTimeout());
    watchTimer = vertx.setTimer(timeouts.firstByteMs(), id -> onWatch());
    try {
      provider.start(this);
    } catch (GatewayException e) {
      fail(e);
    } catch (RuntimeException e) {
      LOG.error("provider {} failed to start request {}", provider.name(), call.requestId(), e);
      fail(new GatewayException(ErrorCode.INTERNAL, "connector error: " + e.getClass().getSimpleName()));
    }
  }

  /** The key of this call in the verticle's map: one request may have several attempts on one node. */
  static String key(String requestId, int attempt) {
    return requestId + '#' + attempt;
  }

  String key() {
    return key(call.requestId(), call.attempt());
  }

  @Override
  public UpstreamCall call() {
    return call;
  }

  @Override
  public void onAbort(Runnable abort) {
    this.abort = abort;
  }

  @Override
  public boolean isFinished() {
    return state == State.DONE;
  }

  @Override
  public void started() {
    if (state != State.PENDING) {
      return;
    }
    state = State.STREAMING;
    lastActivityNanos = System.nanoTime();
    vertx.cancelTimer(watchTimer);
    watchTimer = vertx.setTimer(timeouts.idleMs(), id -> onWatch());
    message.reply(new CallStarted(call.deployment().id(), controlAddress,
        (System.nanoTime() - receivedNanos) / 1_000_000));
  }

  @Override
  public void deltas(List<ChoiceDelta> choices) {
    if (state != State.STREAMING || choices.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    lastActivityNanos = now;
    for (ChoiceDelta c : choices) {
      if ((c.content() != null && !c.content().isEmpty()) || c.toolCalls() != null) {
        contentDeltas++;
        if (firstContentNanos < 0) {
          firstContentNanos = now;
        }
      }
    }
    relay.delta(choices);
  }

  @Override
  public void result(OperationResult result) {
    if (state == State.STREAMING && result != null) {
      this.result = result;
      long now = System.nanoTime();
      lastActivityNanos = now;
      if (firstContentNanos < 0) {
        firstContentNanos = now;
      }
    }
  }

  @Override
  public void usage(Usage usage) {
    if (state != State.DONE && usage != null) {
      reported = usage;
      lastActivityNanos = System.nanoTime();
    }
  }

  @Override
  public void usageSoFar(Usage usage) {
    if (state != State.DONE && usage != null) {
      soFar = usage;
    }
  }

  @Override
  public void complete() {
    if (state == State.PENDING) {
      started();
    }
    if (state == State.STREAMING) {
      if (call.operation().unary() && result == null) {
        // A provider bug or an upstream answer it could not read: never settle an empty answer as OK.
        finish(Outcome.Status.ERROR, ErrorCode.UPSTREAM_ERROR, "upstream answered without a result");
      } else {
        finish(Outcome.Status.OK, null, null);
      }
    }
  }

  @Override
  public void fail(GatewayException failure) {
    terminate(failure, Outcome.Status.ERROR);
  }

  /** A Cancel from the edge, or the edge gone: stop the upstream now, report tokens so far. */
  void cancel(String reason) {
    if (state != State.DONE) {
      LOG.debug("cancelling request {}: {}", call.requestId(), reason);
      terminate(new GatewayException(ErrorCode.CANCELLED, "cancelled: " + reason), Outcome.Status.CANCELLED);
    }
  }

  /** The verticle is being undeployed. */
  void shutdown() {
    terminate(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "connector stopping"), Outcome.Status.ERROR);
  }

  private void onWatch() {
    watchTimer = -1;
    if (state == State.PENDING) {
      terminate(new GatewayException(ErrorCode.UPSTREAM_TIMEOUT,
          "upstream sent no response within " + timeouts.firstByteMs() + " ms"), Outcome.Status.ERROR);
    } else if (state == State.STREAMING) {
      long idleNanos = timeouts.idleMs() * 1_000_000L;
      long silentNanos = System.nanoTime() - lastActivityNanos;
      if (silentNanos >= idleNanos) {
        terminate(new GatewayException(ErrorCode.UPSTREAM_TIMEOUT,
            "upstream stream idle for more than " + timeouts.idleMs() + " ms"), Outcome.Status.ERROR);
      } else {
        long remainingMs = Math.max(1, (idleNanos - silentNanos + 999_999) / 1_000_000);
        watchTimer = vertx.setTimer(remainingMs, id -> onWatch());
      }
    }
  }

  private void onTotalTimeout() {
    totalTimer = -1;
    terminate(new GatewayException(ErrorCode.UPSTREAM_TIMEOUT,
        "upstream call exceeded the total timeout of " + timeouts.totalMs() + " ms"), Outcome.Status.ERROR);
  }

  private void terminate(GatewayException failure, Outcome.Status status) {
    if (state == State.DONE) {
      return;
    }
    State was = state;
    state = State.DONE;
    runAbort();
    if (was == State.PENDING) {
      cancelTimers();
      LOG.debug("request {} failed before start: {} {}", call.requestId(), failure.code(), failure.getMessage());
      // With a Retry-After the failure is a typed reply exception that keeps it on its way to the router.
      message.reply(failure.toReply());
      // The router learns from failures before the first byte too; nothing was produced, so nothing is charged.
      publishOutcome(status, Usage.ZERO, BigDecimal.ZERO, -1, failure.code(), failure.getMessage(),
          failure.retryAfterMs());
      Tracing.end(span, failure.code().code());
      onDone.accept(this);
    } else {
      finish(status, failure.code(), failure.getMessage());
    }
  }

  private void finish(Outcome.Status status, ErrorCode error, String text) {
    state = State.DONE;
    cancelTimers();
    Usage usage = reported != null ? reported : estimate();
    relay.end(usage, status, error, text, status == Outcome.Status.OK ? result : null);
    long ttftMs = firstContentNanos < 0 ? -1 : (firstContentNanos - receivedNanos) / 1_000_000;
    BigDecimal cost = Pricing.cost(call.deployment(), usage);
    publishOutcome(status, usage, cost, ttftMs, error, text, 0);
    if (span.getSpanContext().isValid()) {
      span.setAttribute("gen_ai.usage.input_tokens", usage.promptTokens());
      span.setAttribute("gen_ai.usage.output_tokens", usage.completionTokens());
      Tracing.end(span, error != null ? error.code()
          : status == Outcome.Status.OK ? null : status.name().toLowerCase(java.util.Locale.ROOT));
    }
    onDone.accept(this);
  }

  private void publishOutcome(Outcome.Status status, Usage usage, BigDecimal cost, long ttftMs, ErrorCode error,
                              String text, long retryAfterMs) {
    long latencyMs = (System.nanoTime() - receivedNanos) / 1_000_000;
    outcome = new Outcome(call.requestId(), call.attempt(), call.model(),
        call.deployment().id(), call.deployment().provider(), status, usage, latencyMs, ttftMs, error, text,
        call.keyId(), call.tenantId(), call.decision(), cost, retryAfterMs);
    vertx.eventBus().publish(Addresses.OUTCOMES, outcome);
  }

  /** The outcome this call published, null while it runs. */
  Outcome outcome() {
    return outcome;
  }

  /** A cut stream's usage: the prompt as the upstream counted it if it said so early, else estimated. */
  private Usage estimate() {
    if (soFar != null) {
      return new Usage(soFar.promptTokens(), Math.max(soFar.completionTokens(), contentDeltas), soFar.cachedTokens(),
          0, true, soFar.cacheWriteTokens());
    }
    return new Usage(call.promptEstimate(), contentDeltas, 0, 0, true);
  }

  private void runAbort() {
    Runnable hook = abort;
    abort = null;
    if (hook != null) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("aborting the upstream of request {} failed", call.requestId(), e);
      }
    }
  }

  private void cancelTimers() {
    if (totalTimer >= 0) {
      vertx.cancelTimer(totalTimer);
      totalTimer = -1;
    }
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
      watchTimer = -1;
    }
  }
}
