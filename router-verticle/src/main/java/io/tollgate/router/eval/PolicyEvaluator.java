package io.tollgate.router.eval;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.router.policy.Decider;
import io.tollgate.router.policy.RoutingPolicy;
import io.tollgate.router.policy.RoutingState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Off-policy evaluation: what a candidate routing policy would have earned on recorded traffic,
 * judged before it is rolled out.
 *
 * <p>The recorded outcomes are replayed in order into a fresh {@link RoutingState}, as a router
 * would have seen them, so a learning candidate (thompson, ucb1 ...) is evaluated with the state it
 * would have had. At each recorded first choice (attempt 0) the candidate's probability
 * {@code pi(a)} of choosing each deployment is measured with the production policy code by
 * {@code samples} independent decisions; the logged choice {@code a_t} was made with propensity
 * {@code p_t} and earned reward {@code r_t} (the model's reward formula; 0 for a failure). Then
 * <ul>
 *   <li>IPS: mean of {@code pi(a_t)/p_t * r_t}, unbiased when the propensities are right and every
 *       deployment the candidate may choose was sometimes chosen;</li>
 *   <li>doubly robust: mean of {@code sum_a pi(a) q(a) + pi(a_t)/p_t * (r_t - q(a_t))} with
 *       {@code q(a)} the mean logged reward of deployment a: unbiased if either the propensities or
 *       q are right, and usually of lower variance.</li>
 * </ul>
 * The replay does not reproduce what the candidate would have changed: rewards of choices it would
 * have made but the logged policy did not are never seen, which is exactly what the weights correct.
 */
public final class PolicyEvaluator {

  /** Decisions drawn per recorded choice to measure a stochastic policy's probabilities. */
  public static final int DEFAULT_SAMPLES = 64;

  private final ModelConfig candidate;
  private final RandomGenerator random;
  private final int samples;

  /** @param candidate the model as the candidate would route it (policy, routing options, deployments) */
  public PolicyEvaluator(ModelConfig candidate, RandomGenerator random, int samples) {
    this.candidate = candidate;
    this.random = random;
    this.samples = samples;
  }

  /** @param log the model's recorded outcomes, oldest first */
  public EvalReport evaluate(List<LoggedOutcome> log) {
    Map<String, double[]> sums = new HashMap<>(); // per deployment: reward sum, count
    int decisions = 0;
    for (LoggedOutcome l : log) {
      double r = decisionReward(l.outcome());
      if (!Double.isNaN(r)) {
        double[] s = sums.computeIfAbsent(l.outcome().deploymentId(), k -> new double[2]);
        s[0] += r;
        s[1]++;
        decisions++;
      }
    }
    Map<String, Double> q = new HashMap<>();
    sums.forEach((id, s) -> q.put(id, s[0] / s[1]));

    long[] clock = {0};
    RoutingState state = new RoutingState(() -> clock[0]);
    Decider decider = new Decider(state, random);
    RoutingPolicy policy = RoutingPolicy.forName(candidate.policy());
    List<DeploymentConfig> arms = candidate.deployments();
    double[] ips = new double[decisions];
    double[] dr = new double[decisions];
    double weightSum = 0;
    double maxWeight = 0;
    double loggedSum = 0;
    int n = 0;
    long lastNanos = 0;
    for (LoggedOutcome l : log) {
      // Time drives decay and breakers: the record's own time, else a millisecond after the last one.
      long t = l.atMillis() >= 0 ? Math.max(lastNanos, l.atMillis() * 1_000_000L) : lastNanos + 1_000_000L;
      clock[0] = t;
      lastNanos = t;
      Outcome o = l.outcome();
      double r = decisionReward(o);
      if (!Double.isNaN(r)) {
        Map<String, Integer> chosen = new HashMap<>();
        for (int m = 0; m < samples; m++) {
          List<DeploymentConfig> c = decider.decide(candidate, policy, false).candidates();
          if (!c.isEmpty()) {
            chosen.merge(c.get(0).id(), 1, Integer::sum);
          }
        }
        double piLogged = chosen.getOrDefault(o.deploymentId(), 0) / (double) samples;
        double w = piLogged / o.decision().propensity();
        double direct = 0;
        for (DeploymentConfig a : arms) {
          direct += chosen.getOrDefault(a.id(), 0) / (double) samples * q.getOrDefault(a.id(), 0.0);
        }
        ips[n] = w * r;
        dr[n] = direct + w * (r - q.getOrDefault(o.deploymentId(), 0.0));
        weightSum += w;
        maxWeight = Math.max(maxWeight, w);
        loggedSum += r;
        n++;
      }
      state.observe(o, candidate);
    }
    Estimate ipsEstimate = Estimate.of(ips, n);
    double snips = weightSum > 0 ? ipsEstimate.value() * n / weightSum : Double.NaN;
    return new EvalReport(candidate.name(), candidate.policy(), n, log.size() - n,
        n == 0 ? Double.NaN : loggedSum / n, ipsEstimate, snips, Estimate.of(dr, n), maxWeight);
  }

  /**
   * The reward of a recorded first choice, or NaN if the record is not one: a failover attempt, a
   * record without a usable propensity, a cancelled call or a failure caused by the request itself
   * (neither says anything about the deployment).
   */
  private double decisionReward(Outcome o) {
    if (o.attempt() != 0 || o.decision().policy() == null || !(o.decision().propensity() > 0)) {
      return Double.NaN;
    }
    return switch (o.status()) {
      case OK -> candidate.routing().reward(true, o.latencyMillis(), o.costUsd().doubleValue());
      case ERROR -> o.error() == null || o.error().retryable() || o.error() == ErrorCode.UPSTREAM_TIMEOUT ? 0.0
          : Double.NaN;
      default -> Double.NaN;
    };
  }
}
