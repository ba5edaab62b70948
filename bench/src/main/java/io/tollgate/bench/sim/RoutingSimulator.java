package io.tollgate.bench.sim;

import io.tollgate.api.config.RoutingOptions;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing simulator: regret of the production policies on the Bernoulli environments,
 * against Lai and Robbins' lower rate, and how fast traffic leaves a deployment that dies. Prints
 * markdown tables. Usage: {@code bench/simulate.sh [horizon] [seeds]} (defaults 10,000 and 40).
 */
public final class RoutingSimulator {

  private static final Logger LOG = LoggerFactory.getLogger(RoutingSimulator.class);

  public static final List<Environment> ENVIRONMENTS = List.of(
      Environment.stationary("A", 0.90, 0.85, 0.80),
      Environment.stationary("B", 0.95, 0.70, 0.50, 0.30),
      Environment.stationary("C", 0.90, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80));

  /** The policies compared, with the options that make each the textbook version (no decay, no breaker). */
  public static final List<String> POLICIES = List.of("thompson", "ucb1", "epsilon-greedy", "weighted");

  /** No decay and a breaker that never opens: the policies alone, as in the reference numbers. */
  public static final RoutingOptions PURE = new RoutingOptions(null, 0L, null, 5.0, 0.0, null, null, null, null, null,
      null, Integer.MAX_VALUE, null, null, null);

  private RoutingSimulator() {
  }

  public static void main(String[] args) {
    int horizon = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    LOG.info("T = {}, {} seeds; mean cumulative pseudo-regret ± standard error of the mean", horizon, seeds);
    LOG.info("| environment | Lai-Robbins C ln T | thompson | ucb1 | epsilon-greedy (min(1, 5K/t)) | uniform (weighted, equal weights) |");
    LOG.info("|---|---|---|---|---|---|");
    StringBuilder timing = new StringBuilder();
    for (Environment env : ENVIRONMENTS) {
      StringBuilder row = new StringBuilder("| ").append(env.name()).append(": ").append(rates(env)).append(" | ")
          .append(fmt(env.laiRobbinsConstant() * Math.log(horizon))).append(" |");
      for (String policy : POLICIES) {
        double regret = 0;
        double squares = 0;
        long nanos = 0;
        for (int s = 0; s < seeds; s++) {
          Simulation.Result r = Simulation.run(env, policy, PURE, horizon, s);
          regret += r.regret();
          squares += r.regret() * r.regret();
          nanos += r.decisionNanos();
        }
        double mean = regret / seeds;
        double stdErr = seeds > 1 ? Math.sqrt(Math.max(0, squares / seeds - mean * mean) / (seeds - 1)) : 0;
        row.append(' ').append(fmt(mean)).append(" ± ").append(fmt(stdErr)).append(" |");
        timing.append(String.format(Locale.ROOT, " %s/%s %.1f us;", env.name(), policy, nanos / seeds / 1000.0));
      }
      LOG.info(row.toString());
    }
    LOG.info("decision time (mean, includes warm-up):{}", timing);
    deadArm(horizon, seeds);
  }

  /** The best arm of A fails every request from t = 2,000: with the default breaker, and with the policy alone. */
  private static void deadArm(int horizon, int seeds) {
    int dieAt = Math.min(2_000, horizon / 5);
    Environment env = ENVIRONMENTS.get(0).withDeathOfBestAt(dieAt);
    LOG.info("");
    LOG.info("{}: requests after the death until it gets < 5% of the next 100 requests (mean, max over seeds)",
        env.name());
    LOG.info("| policy | default breaker (5 failures) | policy alone, no decay |");
    LOG.info("|---|---|---|");
    RoutingOptions withBreaker = new RoutingOptions(null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
    for (String policy : POLICIES) {
      LOG.info("| {} | {} | {} |", policy, abandon(env, policy, withBreaker, horizon, seeds),
          abandon(env, policy, PURE, horizon, seeds));
    }
  }

  private static String abandon(Environment env, String policy, RoutingOptions options, int horizon, int seeds) {
    double sum = 0;
    int max = 0;
    int never = 0;
    for (int s = 0; s < seeds; s++) {
      int n = Simulation.requestsUntilAbandoned(env, Simulation.run(env, policy, options, horizon, s).firstChoices(),
          100);
      if (n < 0) {
        never++;
      } else {
        sum += n;
        max = Math.max(max, n);
      }
    }
    return never == seeds ? "never" : fmt(sum / (seeds - never)) + " (max " + max + ")"
        + (never > 0 ? ", never in " + never + " runs" : "");
  }

  private static String rates(Environment env) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < env.p().length; i++) {
      sb.append(i == 0 ? "" : ", ").append(env.p()[i]);
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
