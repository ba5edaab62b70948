package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.routing.RouteDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * One routing decision: which of a model's deployments may be chosen (weight above 0, breaker not
 * open), the model's policy's order over them, and the {@link RouteDecision} that travels with the
 * calls into every outcome. Owned by one router instance's event loop, like its {@link RoutingState}.
 *
 * <p>If every deployment's breaker is open, the router does not refuse: it tries them all, the one
 * that opened longest ago (closest to its probe) first, with propensity 1. Refusing would turn a
 * burst of upstream errors into a certain outage; trying costs at most the route budget.
 */
public final class Decider {

  /** The candidates to try in order and the decision they are tried under. */
  public record Decision(List<DeploymentConfig> candidates, RouteDecision decision) {
  }

  private record Versioned(ModelConfig model, String version) {
  }

  private final RoutingState state;
  private final RandomGenerator random;
  private final Map<String, Versioned> versions = new HashMap<>();
  private final Map<String, Canary> canaries = new HashMap<>();

  private record Canary(ModelConfig stable, ModelConfig applied, String version) {
  }

  public Decider(RoutingState state, RandomGenerator random) {
    this.state = state;
    this.random = random;
  }

  public RoutingState state() {
    return state;
  }

  /** Decides for {@code model} under {@code policy} (the model's, resolved by the caller). */
  public Decision decide(ModelConfig model, RoutingPolicy policy, boolean stream) {
    return decide(model, policy, stream, d -> true);
  }

  /**
   * Decides among the deployments {@code eligible} accepts (those that can serve the request's
   * capabilities): the others are never candidates, not even when every breaker is open.
   */
  public Decision decide(ModelConfig model, RoutingPolicy policy, boolean stream,
                         Predicate<DeploymentConfig> eligible) {
    long now = state.now();
    String version = version(model);
    List<DeploymentConfig> live = new ArrayList<>(model.deployments().size());
    for (DeploymentConfig d : model.deployments()) {
      if (d.weight() > 0 && eligible.test(d)) {
        live.add(d);
      }
    }
    live.sort(Comparator.comparingInt(DeploymentConfig::priority));
    if (live.isEmpty()) {
      return new Decision(List.of(), new RouteDecision(policy.name(), version, 1.0, "no deployment with weight > 0"));
    }
    List<DeploymentConfig> arms = new ArrayList<>(live.size());
    List<ArmStats> armStats = new ArrayList<>(live.size());
    for (DeploymentConfig d : live) {
      ArmStats s = state.arm(model.name(), d.id(), now, model.routing());
      if (s.breaker().allows(now)) {
        arms.add(d);
        armStats.add(s);
      }
    }
    if (arms.isEmpty()) {
      live.sort(Comparator.comparingLong(d -> state.arm(model.name(), d.id(), now, model.routing())
          .breaker().openedAtNanos()));
      return new Decision(live, new RouteDecision(policy.name(), version, 1.0,
          "every breaker open: least recently opened first"));
    }
    RoutingPolicy.Choice choice = policy.choose(arms, armStats.toArray(new ArmStats[0]), model.routing(), stream,
        random);
    return new Decision(choice.candidates(), new RouteDecision(policy.name(), version, choice.propensity(),
        choice.reason()));
  }

  /** A call is about to go to {@code deploymentId}: a half-open breaker lets it through as its one probe. */
  public void attempting(ModelConfig model, String deploymentId) {
    long now = state.now();
    state.arm(model.name(), deploymentId, now, model.routing()).breaker().attempting(now);
  }

  /** Whether {@code deploymentId}'s breaker lets a call through now (a retry asks before it goes). */
  public boolean allows(ModelConfig model, String deploymentId) {
    long now = state.now();
    return state.arm(model.name(), deploymentId, now, model.routing()).breaker().allows(now);
  }

  /**
   * The routing that serves {@code tenant}: the model's canary (as a model of its own, computed
   * once per config object) if the canary covers the tenant, else the model itself.
   */
  public ModelConfig routingFor(ModelConfig model, String tenant) {
    if (model.canary() == null || !model.canary().covers(model.name(), tenant)) {
      return model;
    }
    Canary c = canaries.get(model.name());
    if (c == null || c.stable() != model) {
      ModelConfig applied = model.canaryApplied();
      c = new Canary(model, applied, RoutingVersion.of(applied));
      canaries.put(model.name(), c);
    }
    return c.applied();
  }

  /** The model's routing version, hashed once per config object. */
  public String version(ModelConfig model) {
    Canary c = canaries.get(model.name());
    if (c != null && c.applied() == model) {
      return c.version();
    }
    Versioned v = versions.get(model.name());
    if (v == null || v.model() != model) {
      v = new Versioned(model, RoutingVersion.of(model));
      versions.put(model.name(), v);
    }
    return v.version();
  }
}
