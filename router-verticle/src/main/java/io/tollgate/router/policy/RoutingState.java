package io.tollgate.router.policy;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.routing.RoutingStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Everything one router instance has learned: per model, per deployment {@link ArmStats}. Fed by
 * every published outcome, so each router instance on each node holds the same statistics without
 * a store on the hot path. Owned by the instance's event loop: no locks, never shared.
 *
 * <p>How an outcome counts: OK is a success; an ERROR whose code blames the deployment (a retryable
 * code: upstream error, timeout, unreachable, auth, 429, no connector) is a failure; an ERROR caused
 * by the request itself (a 400 from upstream) or by the gateway, and a CANCELLED call, teach nothing
 * about the deployment and are ignored. An upstream 429 also opens the breaker for the rate-limit
 * cooldown at once: for as long as its {@code Retry-After} asked, else {@code routing.rate_limit_cooldown_ms}.
 */
public final class RoutingState {

  private final Map<String, Map<String, ArmStats>> models = new HashMap<>();
  private final LongSupplier nanoClock;

  public RoutingState(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  public long now() {
    return nanoClock.getAsLong();
  }

  /** Applies one outcome; {@code model} is the outcome's model as this node knows it (null: forgotten). */
  public void observe(Outcome outcome, ModelConfig model) {
    if (model == null || outcome.deploymentId() == null) {
      return;
    }
    RoutingOptions options = model.routing();
    long now = now();
    ArmStats arm = arm(model.name(), outcome.deploymentId(), now, options);
    switch (outcome.status()) {
      case OK -> {
        double cost = outcome.costUsd().doubleValue();
        arm.success(options.reward(true, outcome.latencyMillis(), cost), outcome.latencyMillis(),
            outcome.ttftMillis(), cost, options.latencyEwmaAlphaOrDefault());
        arm.breaker().success();
      }
      case ERROR -> {
        ErrorCode code = outcome.error();
        if (code == ErrorCode.UPSTREAM_RATE_LIMITED) {
          arm.failure();
          // The upstream's Retry-After says best how long it needs; without one, the configured cooldown.
          long cooldownMs = outcome.retryAfterMs() > 0 ? outcome.retryAfterMs() : options.rateLimitCooldownMsOrDefault();
          arm.breaker().rateLimited(now, cooldownMs * 1_000_000L);
        } else if (code == null || code.retryable()) {
          arm.failure();
          arm.breaker().failure(now, options.breakerFailuresOrDefault(),
              options.breakerCooldownMsOrDefault() * 1_000_000L);
        }
      }
      default -> {
        // CANCELLED: the client left; nothing learned about the deployment.
      }
    }
  }

  /** The arm of {@code deploymentId} under {@code model}, decayed to {@code now}. */
  ArmStats arm(String model, String deploymentId, long now, RoutingOptions options) {
    ArmStats arm = models.computeIfAbsent(model, m -> new HashMap<>()).computeIfAbsent(deploymentId, d -> new ArmStats());
    arm.decayTo(now, options.halfLifeMsOrDefault() * 1_000_000L);
    return arm;
  }

  /** Everything learned, for a snapshot; {@code nowMillis} is the wall clock that dates it. */
  public RoutingSnapshot snapshot(long nowMillis) {
    Map<String, Map<String, ArmSnapshot>> out = new HashMap<>();
    models.forEach((model, arms) -> {
      Map<String, ArmSnapshot> m = new HashMap<>();
      arms.forEach((id, arm) -> m.put(id, arm.snapshot()));
      out.put(model, m);
    });
    return new RoutingSnapshot(nowMillis, out);
  }

  /**
   * Starts from a snapshot taken {@code nowMillis - takenAtMillis} ago: each arm this instance has
   * not learned anything about yet takes the snapshot's statistics, aged by that time (the model's
   * half-life applies at the next read). Arms already learned here keep what they have, so nothing
   * is counted twice.
   */
  public int restore(RoutingSnapshot snapshot, long nowMillis) {
    long ageNanos = Math.max(0, nowMillis - snapshot.takenAtMillis()) * 1_000_000L;
    long stamp = now() - ageNanos;
    int restored = 0;
    for (Map.Entry<String, Map<String, ArmSnapshot>> m : snapshot.models().entrySet()) {
      Map<String, ArmStats> arms = models.computeIfAbsent(m.getKey(), k -> new HashMap<>());
      for (Map.Entry<String, ArmSnapshot> a : m.getValue().entrySet()) {
        ArmStats existing = arms.get(a.getKey());
        if (existing == null || existing.requests() == 0) {
          ArmStats arm = existing != null ? existing : new ArmStats();
          arm.restore(a.getValue(), stamp);
          arms.put(a.getKey(), arm);
          restored++;
        }
      }
    }
    return restored;
  }

  /** What this instance knows about {@code model}'s deployments, in config order. */
  public RoutingStats stats(ModelConfig model, String routingVersion) {
    long now = now();
    List<RoutingStats.DeploymentStats> out = new ArrayList<>(model.deployments().size());
    for (DeploymentConfig d : model.deployments()) {
      ArmStats a = arm(model.name(), d.id(), now, model.routing());
      out.add(new RoutingStats.DeploymentStats(d.id(), a.requests(), a.successes(), a.failures(),
          Double.isNaN(a.ewmaLatencyMs()) ? null : a.ewmaLatencyMs(),
          Double.isNaN(a.ewmaTtftMs()) ? null : a.ewmaTtftMs(), a.breaker().state(now).wire(),
          a.breaker().consecutiveFailures(), a.alpha(), a.beta(), a.meanCostUsd()));
    }
    return new RoutingStats(model.name(), model.policy(), routingVersion, out);
  }
}
