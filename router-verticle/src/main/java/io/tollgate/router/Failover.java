package io.tollgate.router;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Tries a request's candidates in order until a connector reports that its upstream started,
 * recording every attempt. Only failures before the first byte get here, so moving on to the next
 * deployment can never send the client a mix of two answers.
 */
final class Failover {

  private final EventBus bus;
  private final RouterOptions options;
  private final RouteRequest request;
  private final ModelConfig model;
  private final List<DeploymentConfig> candidates;
  private final List<Attempt> attempts = new ArrayList<>();

  Failover(EventBus bus, RouterOptions options, RouteRequest request, ModelConfig model,
           List<DeploymentConfig> candidates) {
    this.bus = bus;
    this.options = options;
    this.request = request;
    this.model = model;
    this.candidates = candidates;
  }

  Future<RouteResult> run() {
    if (candidates.isEmpty()) {
      return Future.succeededFuture(RouteResult.failed(model.name(), ErrorCode.NO_DEPLOYMENT_AVAILABLE,
          "model " + model.name() + " has no active deployment", attempts));
    }
    return attempt(0);
  }

  private Future<RouteResult> attempt(int i) {
    DeploymentConfig d = candidates.get(i);
    UpstreamCall call = new UpstreamCall(request.requestId(), i, model.name(), d, request.chat(),
        request.streamAddress(), request.keyId(), request.tenantId());
    long timeout = d.maxStartMillis() + options.callMarginMs();
    long started = System.nanoTime();
    return bus.<CallStarted>request(Addresses.connectorCall(d.provider()), call,
            new DeliveryOptions().setSendTimeout(timeout))
        .transform(ar -> {
          long millis = (System.nanoTime() - started) / 1_000_000;
          if (ar.succeeded()) {
            CallStarted s = ar.result().body();
            attempts.add(new Attempt(d.id(), d.provider(), null, null, millis));
            return Future.succeededFuture(RouteResult.started(model.name(), d.id(), d.provider(),
                s.controlAddress(), attempts));
          }
          GatewayException failure = classify(d, ar.cause());
          attempts.add(new Attempt(d.id(), d.provider(), failure.code(), failure.getMessage(), millis));
          if (failure.code().retryable() && i + 1 < candidates.size()) {
            return attempt(i + 1);
          }
          return Future.succeededFuture(giveUp(failure));
        });
  }

  private static GatewayException classify(DeploymentConfig d, Throwable cause) {
    if (cause instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE,
          "no connector node serves provider '" + d.provider() + "'");
    }
    if (cause instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
      return new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "connector did not answer in time");
    }
    return GatewayException.from(cause);
  }

  /**
   * The error for the client once no candidate is left: a non-retryable upstream answer is passed
   * on as is; when every deployment failed, 503 if none was even reachable through a connector,
   * else 502 (or 504 if the last one timed out).
   */
  private RouteResult giveUp(GatewayException last) {
    if (!last.code().retryable()) {
      return RouteResult.failed(model.name(), last.code(), last.getMessage(), attempts);
    }
    boolean noneReached = attempts.stream().allMatch(a -> a.error() == ErrorCode.SERVICE_UNAVAILABLE);
    ErrorCode code = noneReached ? ErrorCode.NO_DEPLOYMENT_AVAILABLE
        : last.code() == ErrorCode.UPSTREAM_TIMEOUT ? ErrorCode.UPSTREAM_TIMEOUT
        : ErrorCode.UPSTREAM_ERROR;
    StringBuilder msg = new StringBuilder("all ").append(attempts.size())
        .append(attempts.size() == 1 ? " deployment" : " deployments").append(" of model ")
        .append(model.name()).append(" failed: ");
    for (int k = 0; k < attempts.size(); k++) {
      Attempt a = attempts.get(k);
      msg.append(k == 0 ? "" : "; ").append(a.deploymentId()).append(" (").append(a.error().code())
          .append(": ").append(a.message()).append(')');
    }
    return RouteResult.failed(model.name(), code, msg.toString(), attempts);
  }
}
