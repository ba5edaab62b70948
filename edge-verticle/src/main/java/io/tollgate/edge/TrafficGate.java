package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.GlobalLimits;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Concurrency;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.ops.CompletionRequest;
import io.tollgate.api.ops.OperationRequest;
import io.tollgate.traffic.Admission;
import io.tollgate.traffic.AdmissionRequest;
import io.tollgate.edge.metrics.EdgeMetrics;
import io.tollgate.traffic.ConcurrencyLimitException;
import io.tollgate.traffic.ConcurrencyLimiter;
import io.tollgate.traffic.ConcurrencyLimiter.Permit;
import io.tollgate.traffic.Decision;
import io.tollgate.traffic.Pricing;
import io.tollgate.traffic.Reservation;
import io.tollgate.traffic.Settlement;
import io.tollgate.traffic.TokenEstimator;
import io.tollgate.traffic.TrafficOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Admission at the edge: one Redis round trip reserves the request's rpm slot, its estimated
 * tokens and cost against key, tenant and global limits; then the key's and tenant's concurrency
 * slots. When the exchange ends the reservation is settled with the real usage (a cancelled stream
 * with what it produced) or released if no upstream ever ran. Shared by the node's edge instances.
 */
public final class TrafficGate {

  private final Admission admission;
  private final ConcurrencyLimiter slots;
  private final TrafficOptions options;
  private final Supplier<GlobalLimits> globalLimits;
  private volatile GlobalAsLimits lastGlobal;

  /** The gateway-wide limits of one configuration, converted once rather than per request. */
  private record GlobalAsLimits(GlobalLimits source, Limits limits) {
  }

  /** Where refusals are counted; set once, before the gate is used. */
  private EdgeMetrics metrics = EdgeMetrics.NONE;

  /** Counts refusals by limit in {@code metrics} (the node's edge metrics); call before the gate is used. */
  public TrafficGate withMetrics(EdgeMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public TrafficGate(Admission admission, ConcurrencyLimiter slots, TrafficOptions options) {
    this(admission, slots, options, () -> null);
  }

  /**
   * @param globalLimits the gateway-wide limits of the configuration being served, read on every
   *                     request so a change applies without a restart; null from it: the options'
   */
  public TrafficGate(Admission admission, ConcurrencyLimiter slots, TrafficOptions options,
                     Supplier<GlobalLimits> globalLimits) {
    this.admission = admission;
    this.slots = slots;
    this.options = options;
    this.globalLimits = globalLimits;
  }

  private Limits globalLimits() {
    GlobalLimits current = globalLimits.get();
    if (current == null) {
      return options.globalLimits();
    }
    GlobalAsLimits last = lastGlobal;
    if (last == null || last.source() != current) {
      last = new GlobalAsLimits(current, current.rpm() == null && current.tpm() == null ? Limits.NONE
          : new Limits(current.rpm(), current.tpm(), null, null));
      lastGlobal = last;
    }
    return last.limits();
  }

  /** What a request holds while it runs. */
  record Ticket(Reservation reservation, List<Permit> permits, long estimatedTokens, BigDecimal estimatedCost) {
  }

  Future<Ticket> enter(String requestId, ApiKey key, Tenant tenant, ChatRequest chat, ModelConfig model,
                       HttpServerResponse response) {
    return enter(requestId, key, tenant, chat, model, response, false);
  }

  /**
   * {@code cacheHit}: the request is answered from the response cache, so it reserves its rpm slot
   * (a hit is a request) and concurrency, but no tokens and no cost (nothing goes upstream).
   */
  Future<Ticket> enter(String requestId, ApiKey key, Tenant tenant, ChatRequest chat, ModelConfig model,
                       HttpServerResponse response, boolean cacheHit) {
    return enter(requestId, key, tenant, chat.estimatedPromptTokens(),
        cacheHit ? 0 : TokenEstimator.estimate(chat, options.getMaxTokensEstimate()), model, response, cacheHit);
  }

  /**
   * A non-chat operation: embeddings and rerank reserve their input's tokens (they produce none);
   * a legacy completion also its completion budget ({@code max_tokens} x {@code n}, else the
   * gateway's default estimate), as chat does.
   */
  Future<Ticket> enter(String requestId, ApiKey key, Tenant tenant, OperationRequest op, ModelConfig model,
                       HttpServerResponse response) {
    return enter(requestId, key, tenant, op, model, response, false);
  }

  /** {@code cacheHit}: answered from a cache, so its rpm slot and concurrency only, no tokens or cost. */
  Future<Ticket> enter(String requestId, ApiKey key, Tenant tenant, OperationRequest op, ModelConfig model,
                       HttpServerResponse response, boolean cacheHit) {
    if (cacheHit) {
      return enter(requestId, key, tenant, 0, 0, model, response, true);
    }
    long prompt = op.estimatedPromptTokens();
    long tokens = prompt;
    if (op instanceof CompletionRequest c) {
      long budget = c.maxTokens() != null ? c.maxTokens() : options.getMaxTokensEstimate();
      tokens += budget * Math.max(1, c.n() == null ? 1 : c.n());
    }
    return enter(requestId, key, tenant, prompt, tokens, model, response, false);
  }

  private Future<Ticket> enter(String requestId, ApiKey key, Tenant tenant, long prompt, long tokens,
                               ModelConfig model, HttpServerResponse response, boolean cacheHit) {
    BigDecimal cost = BigDecimal.ZERO;
    for (DeploymentConfig d : cacheHit ? List.<DeploymentConfig>of() : model.deployments()) {
      cost = cost.max(Pricing.cost(d, prompt, 0, Math.max(0, tokens - prompt)));
    }
    Limits tenantLimits = tenant == null ? Limits.NONE : tenant.limits();
    AdmissionRequest request = new AdmissionRequest(requestId, key.id(), key.tenantId(), key.limits(), tenantLimits,
        globalLimits(), tokens, cost, System.currentTimeMillis());
    BigDecimal estimatedCost = cost;
    return admission.admit(request).compose(decision -> {
      if (decision.headers() != null) {
        decision.headers().toMap().forEach(response::putHeader);
      }
      if (!decision.admitted()) {
        Decision.Refusal refusal = decision.refusal();
        metrics.refusal(refusal.kind().name());
        if (refusal.retryAfterSeconds() != null) {
          response.putHeader("retry-after", Long.toString(refusal.retryAfterSeconds()));
        }
        return Future.failedFuture(refusal.error());
      }
      Ticket ticket = new Ticket(decision.reservation(), new ArrayList<>(2), tokens, estimatedCost);
      return acquire("key:" + key.id(), key.limits(), ticket)
          .compose(t -> acquire("tenant:" + key.tenantId(), tenantLimits, t))
          .recover(err -> {
            leave(ticket, false, null, null, model);
            if (err instanceof ConcurrencyLimitException) {
              metrics.refusal("concurrency");
            }
            return Future.failedFuture(err instanceof ConcurrencyLimitException c
                ? c.toGatewayException(ErrorCode.RATE_LIMITED) : err);
          });
    });
  }

  private Future<Ticket> acquire(String scope, Limits limits, Ticket ticket) {
    Concurrency bounds = limits.concurrency();
    if (bounds == null || !bounds.limited()) {
      return Future.succeededFuture(ticket);
    }
    return slots.acquire(scope, bounds).map(permit -> {
      ticket.permits().add(permit);
      return ticket;
    });
  }

  /**
   * Settles what the request used. {@code usage} is the END message's (null if none came): with it
   * the real tokens, priced at the deployment that produced them; without it, if an upstream may
   * have run, the estimate stays charged (the edge gave up waiting and cannot know better); if none
   * ran, everything is released.
   */
  void leave(Ticket ticket, boolean upstreamRan, String deploymentId, Usage usage, ModelConfig model) {
    ticket.permits().forEach(Permit::release);
    if (usage != null) {
      DeploymentConfig d = deploymentId == null ? null : deployment(model, deploymentId);
      BigDecimal cost = d == null ? BigDecimal.ZERO
          : Pricing.cost(d, usage);
      admission.settle(ticket.reservation(), Settlement.of(usage, cost));
    } else if (upstreamRan) {
      admission.settle(ticket.reservation(), new Settlement(ticket.estimatedTokens(), ticket.estimatedCost()));
    } else {
      admission.release(ticket.reservation());
    }
  }

  /** Frees the request's concurrency slots now (idempotent: {@link #leave} frees them again harmlessly). */
  void releaseSlots(Ticket ticket) {
    ticket.permits().forEach(Permit::release);
  }

  private static DeploymentConfig deployment(ModelConfig model, String id) {
    for (DeploymentConfig d : model.deployments()) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    return null;
  }

  static GatewayException unavailable(Throwable t) {
    return t instanceof GatewayException g ? g
        : new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "admission control is unavailable");
  }
}
