package io.tollgate.bench.sim;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.router.policy.Decider;
import io.tollgate.router.policy.RoutingPolicy;
import io.tollgate.router.policy.RoutingState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One seeded run of the production {@link Decider} (breakers, policy, statistics) against an
 * {@link Environment}: each request goes to the decision's first candidate, its Bernoulli outcome
 * is fed back exactly as a published {@link Outcome} would be, and the clock moves 1 ms per request.
 */
public final class Simulation {

  /** What one run measured. */
  public record Result(double regret, int[] firstChoices, long decisionNanos) {
  }

  /** The simulated time between two requests. */
  static final long TICK_NANOS = 1_000_000L;

  private Simulation() {
  }

  public static Result run(Environment env, String policyName, RoutingOptions options, int horizon, long seed) {
    List<DeploymentConfig> deployments = new ArrayList<>();
    for (int i = 0; i < env.p().length; i++) {
      deployments.add(new DeploymentConfig("arm-" + i, "sim", null, null, null, 1, 0, null, null, null, null, null));
    }
    ModelConfig model = new ModelConfig("sim", null, policyName, options, deployments);
    RoutingPolicy policy = RoutingPolicy.forName(policyName);
    long[] clock = {1};
    RoutingState state = new RoutingState(() -> clock[0]);
    Decider decider = new Decider(state, new SplittableRandom(seed));
    SplittableRandom world = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    int[] chosen = new int[horizon];
    double regret = 0;
    long decisionNanos = 0;
    for (int t = 0; t < horizon; t++) {
      long t0 = System.nanoTime();
      Decider.Decision d = decider.decide(model, policy, false);
      decisionNanos += System.nanoTime() - t0;
      String id = d.candidates().get(0).id();
      int arm = Integer.parseInt(id.substring(4));
      decider.attempting(model, id);
      chosen[t] = arm;
      double best = 0;
      for (int i = 0; i < env.p().length; i++) {
        best = Math.max(best, env.p(i, t));
      }
      regret += best - env.p(arm, t);
      boolean ok = world.nextDouble() < env.p(arm, t);
      state.observe(new Outcome("r" + t, 0, "sim", id, "sim", ok ? Outcome.Status.OK : Outcome.Status.ERROR,
          Usage.ZERO, 100, -1, ok ? null : ErrorCode.UPSTREAM_ERROR, null, null, null, d.decision(), BigDecimal.ZERO),
          model);
      clock[0] += TICK_NANOS;
    }
    return new Result(regret, chosen, decisionNanos / horizon);
  }

  /**
   * Requests after the best arm died until it gets under 5% of traffic: the first {@code n} such
   * that, of the {@code window} requests after {@code dieAt + n}, fewer than 5% went to it.
   */
  public static int requestsUntilAbandoned(Environment env, int[] chosen, int window) {
    int dead = env.best();
    for (int n = 0; env.dieAt() + n + window <= chosen.length; n++) {
      int hits = 0;
      for (int t = env.dieAt() + n; t < env.dieAt() + n + window; t++) {
        hits += chosen[t] == dead ? 1 : 0;
      }
      if (hits < 0.05 * window) {
        return n;
      }
    }
    return -1;
  }
}
