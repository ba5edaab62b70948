package io.tollgate.router;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.routing.RouteDecision;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.tollgate.api.trace.HopClock;
import io.tollgate.api.trace.TraceContext;
import io.tollgate.api.trace.Tracing;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Tries a request's candidates in order until a connector reports that its upstream started,
 * recording every attempt. Only failures before the first byte get here, so moving on to the next
 * deployment can never send the client a mix of two answers.
 *
 * <p>The whole chain runs within the request's route budget: each attempt waits for its
 * deployment's start budget plus a margin, but never past what is left of the route budget, so the
 * router always answers before the edge stops waiting. An attempt that timed out may still start
 * late at a connector nobody heard from: it is cancelled there (published to the provider's cancel
 * address, since the router does not know which instance took it) before the next one begins.
 *
 * <p>Candidates are tried in order, at once: another deployment is the best second try. Once no
 * untried candidate is left, the last one is tried again up to {@code routing.retries} times after
 * a failure that may pass (connect error, 5xx, 429, first-byte timeout), after a {@link Backoff}
 * wait that honours the upstream's {@code Retry-After}. A failure caused by the request (an upstream
 * 400) ends the chain at once. No request makes more than {@code routing.max_attempts} calls, and a
 * wait that would not end within the route budget is not started.
 *
 * <p>Every attempt ends in a published {@link Outcome}: the connector publishes it for calls it
 * answered (started or failed), the router here for attempts no connector answered (none
 * reachable, no answer in time), so that routing statistics see every failure exactly once.
 */
final class Failover {

  private final EventBus bus;
  private final long callMarginMs;
  private final RouteRequest request;
  private final ModelConfig model;
  private final List<DeploymentConfig> candidates;
  private final RouteDecision decision;
  private final Consumer<DeploymentConfig> attempting;
  private final Predicate<DeploymentConfig> allowed;
  private final LongFunction<Future<Void>> sleep;
  private final RandomGenerator random;
  private final LongSupplier nanoClock;
  private final long deadlineNanos;
  private final Tracing tracing;
  private final List<Attempt> attempts = new ArrayList<>();
  private boolean attemptBudgetSpent;
  private ConnectorCalls calls;

  /**
   * @param attempting told of each deployment just before its call is sent (a half-open breaker
   *                   counts it as its probe)
   * @param allowed    whether a deployment may be tried again now (its breaker is not open)
   * @param sleep      completes after the given milliseconds (a timer; tests pass a fake one)
   */
  Failover(EventBus bus, long callMarginMs, RouteRequest request, ModelConfig model, List<DeploymentConfig> candidates,
           RouteDecision decision, Consumer<DeploymentConfig> attempting, Predicate<DeploymentConfig> allowed,
           LongFunction<Future<Void>> sleep, RandomGenerator random, LongSupplier nanoClock) {
    this(bus, callMarginMs, request, model, candidates, decision, attempting, allowed, sleep, random, nanoClock,
        Tracing.OFF);
  }

  /** ... with a span per attempt, child of the request's context, whose own context the call carries. */
  Failover(EventBus bus, long callMarginMs, RouteRequest request, ModelConfig model, List<DeploymentConfig> candidates,
           RouteDecision decision, Consumer<DeploymentConfig> attempting, Predicate<DeploymentConfig> allowed,
           LongFunction<Future<Void>> sleep, RandomGenerator random, LongSupplier nanoClock, Tracing tracing) {
    this.tracing = tracing;
    this.bus = bus;
    this.callMarginMs = callMarginMs;
    this.request = request;
    this.model = model;
    this.candidates = candidates;
    this.decision = decision;
    this.attempting = attempting;
    this.allowed = allowed;
    this.sleep = sleep;
    this.random = random;
    this.nanoClock = nanoClock;
    this.deadlineNanos = nanoClock.getAsLong() + Math.max(1, request.budgetMs()) * 1_000_000L;
    this.calls = ConnectorCalls.bus(bus);
  }

  /** Calls connectors through {@code connectorCalls} instead of the event bus (the local path). */
  Failover via(ConnectorCalls connectorCalls) {
    this.calls = connectorCalls;
    return this;
  }

  Future<RouteResult> run() {
    if (candidates.isEmpty()) {
      return Future.succeededFuture(RouteResult.failed(model.name(), ErrorCode.NO_DEPLOYMENT_AVAILABLE,
          "model " + model.name() + " has no active deployment", attempts, decision));
    }
    return attempt(0, 0);
  }

  /** Tries candidate {@code i} for the {@code retry}-th time after its first try (0: the first try). */
  private Future<RouteResult> attempt(int i, int retry) {
    DeploymentConfig d = candidates.get(i);
    int n = attempts.size();
    long leftMs = (deadlineNanos - nanoClock.getAsLong()) / 1_000_000;
    if (leftMs <= 0) {
      GatewayException spent = new GatewayException(ErrorCode.UPSTREAM_TIMEOUT,
          "route budget of " + request.budgetMs() + " ms spent before trying " + d.id());
      return Future.succeededFuture(giveUp(spent));
    }
    Span span = tracing.start("attempt", SpanKind.CLIENT, request.trace());
    if (tracing.on()) {
      span.setAttribute("tollgate.attempt", n);
      span.setAttribute("tollgate.deployment", d.id());
      span.setAttribute("tollgate.provider", d.provider());
    }
    // With tracing off the request's context (the client's) goes on as it came.
    TraceContext onward = Tracing.onward(span, request.trace());
    UpstreamCall call = new UpstreamCall(request.requestId(), n, model.name(), d, request.chat(),
        request.streamAddress(), request.keyId(), request.tenantId(), decision, request.operation(),
        request.payload(), onward, HopClock.now());
    attempting.accept(d);
    long timeout = Math.min(d.maxStartMillis() + callMarginMs, leftMs);
    long started = nanoClock.getAsLong();
    return calls.call(d.provider(), call, timeout)
        .transform(ar -> {
          long millis = (nanoClock.getAsLong() - started) / 1_000_000;
          if (ar.succeeded()) {
            CallStarted s = ar.result().body();
            attempts.add(new Attempt(d.id(), d.provider(), null, null, millis));
            Tracing.end(span, null);
            RouteResult result = RouteResult.started(model.name(), d.id(), d.provider(),
                s.controlAddress(), n, attempts, decision).withUpstreamMillis(s.upstreamMillis());
            // The edge's stream span hangs under the attempt that started.
            return Future.succeededFuture(tracing.on() ? result.withTrace(onward) : result);
          }
          GatewayException failure = classify(d, ar.cause());
          Tracing.end(span, failure.code().code());
          if (!(ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE)) {
            // No connector answered, so none will publish this attempt's outcome.
            bus.publish(Addresses.OUTCOMES, new Outcome(request.requestId(), n, model.name(), d.id(), d.provider(),
                Outcome.Status.ERROR, Usage.ZERO, millis, -1, failure.code(), failure.getMessage(), request.keyId(),
                request.tenantId(), decision, BigDecimal.ZERO));
          }
          if (isTimeout(ar.cause())) {
            // Nobody told us where the call is; it may start late and stream under this request id.
            bus.publish(Addresses.connectorCancel(d.provider()),
                new Cancel(request.requestId(), n, "superseded: no start within " + timeout + " ms"));
          }
          attempts.add(new Attempt(d.id(), d.provider(), failure.code(), failure.getMessage(), millis));
          return next(i, retry, failure);
        });
  }

  /** After candidate {@code i} failed with {@code failure}: the next candidate, a retry of this one, or the end. */
  private Future<RouteResult> next(int i, int retry, GatewayException failure) {
    if (!failure.code().retryable()) {
      return Future.succeededFuture(giveUp(failure));
    }
    if (attempts.size() >= model.routing().maxAttemptsOrDefault()) {
      attemptBudgetSpent = true;
      return Future.succeededFuture(giveUp(failure));
    }
    if (i + 1 < candidates.size()) {
      return attempt(i + 1, 0);
    }
    DeploymentConfig d = candidates.get(i);
    if (retry >= model.routing().retriesOrDefault() || !worthRetrying(failure.code()) || !allowed.test(d)) {
      return Future.succeededFuture(giveUp(failure));
    }
    long waitMs = Backoff.delayMs(model.routing(), retry + 1, failure.retryAfterMs(), random);
    long leftMs = (deadlineNanos - nanoClock.getAsLong()) / 1_000_000;
    if (waitMs >= leftMs) {
      // Waiting would spend the route budget (a long Retry-After): better answer now.
      return Future.succeededFuture(giveUp(failure));
    }
    return sleep.apply(waitMs).compose(v -> attempt(i, retry + 1));
  }

  /**
   * Failures of the deployment that may pass by themselves. Not: a rejected credential (a
   * misconfiguration that no wait fixes) or no connector at all for the provider.
   */
  private static boolean worthRetrying(ErrorCode code) {
    return code == ErrorCode.UPSTREAM_ERROR || code == ErrorCode.UPSTREAM_UNREACHABLE
        || code == ErrorCode.UPSTREAM_TIMEOUT || code == ErrorCode.UPSTREAM_RATE_LIMITED;
  }

  private static boolean isTimeout(Throwable cause) {
    return cause instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT;
  }

  private static GatewayException classify(DeploymentConfig d, Throwable cause) {
    if (cause instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
          "no connector node serves provider '" + d.provider() + "'");
    }
    if (isTimeout(cause)) {
      return new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "connector did not answer in time");
    }
    return GatewayException.from(cause);
  }

  /**
   * The error for the client once no candidate is left: a non-retryable upstream answer is passed
   * on as is; when every deployment failed, 503 if none was even reachable through a connector,
   * 429 (or 503) if every one was rate limited (or overloaded), else 502 (or 504 if the last one
   * timed out). The message names deployments and error codes
   * only: what upstreams said stays in the trace's attempts, which the edge logs but does not show.
   */
  /**
   * Every deployment said "too many requests" (or "overloaded"): the client gets that, a 429 it
   * can back off from, rather than a 502 that reads like a broken gateway.
   */
  private boolean allFailedWith(ErrorCode code) {
    return !attempts.isEmpty() && attempts.stream().allMatch(a -> a.error() == code);
  }

  private RouteResult giveUp(GatewayException last) {
    if (!last.code().retryable()) {
      return RouteResult.failed(model.name(), last.code(), last.getMessage(), last.param(), attempts, decision);
    }
    boolean noneReached = !attempts.isEmpty()
        && attempts.stream().allMatch(a -> a.error() == ErrorCode.SERVICE_UNAVAILABLE);
    ErrorCode code = noneReached ? ErrorCode.NO_DEPLOYMENT_AVAILABLE
        : allFailedWith(ErrorCode.UPSTREAM_RATE_LIMITED) ? ErrorCode.UPSTREAM_RATE_LIMITED
        : allFailedWith(ErrorCode.UPSTREAM_OVERLOADED) ? ErrorCode.UPSTREAM_OVERLOADED
        : last.code() == ErrorCode.UPSTREAM_TIMEOUT ? ErrorCode.UPSTREAM_TIMEOUT
        : ErrorCode.UPSTREAM_ERROR;
    long distinct = attempts.stream().map(Attempt::deploymentId).distinct().count();
    StringBuilder msg = new StringBuilder("all ").append(attempts.size());
    if (distinct == attempts.size()) {
      msg.append(attempts.size() == 1 ? " deployment" : " deployments").append(" tried for model ");
    } else {
      msg.append(" attempts for model ");
    }
    msg.append(model.name()).append(" failed: ");
    for (int k = 0; k < attempts.size(); k++) {
      Attempt a = attempts.get(k);
      msg.append(k == 0 ? "" : ", ").append(a.deploymentId()).append(" (").append(a.error().code()).append(')');
    }
    if (last.getMessage().startsWith("route budget")) {
      msg.append("; the route budget of ").append(request.budgetMs()).append(" ms was spent");
    } else if (attemptBudgetSpent) {
      msg.append("; the attempt budget of ").append(model.routing().maxAttemptsOrDefault()).append(" was spent");
    }
    return RouteResult.failed(model.name(), code, msg.toString(), attempts, decision);
  }
}
