package io.tollgate.bench.jmh;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.router.policy.Decider;
import io.tollgate.router.policy.RoutingPolicy;
import io.tollgate.router.policy.RoutingState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision with the production code ({@link Decider}: breakers, decay, the policy) over
 * K deployments with a thousand outcomes each behind them: what the router spends per request
 * before the first call goes out. Run by {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

  @Param({"thompson", "ucb1", "epsilon-greedy", "weighted", "priority", "least-latency"})
  public String policy;

  @Param({"3", "10"})
  public int deployments;

  private Decider decider;
  private ModelConfig model;
  private RoutingPolicy routingPolicy;

  @Setup
  public void setUp() {
    List<DeploymentConfig> ds = new ArrayList<>();
    for (int i = 0; i < deployments; i++) {
      ds.add(new DeploymentConfig("d" + i, "mock", null, null, null, 1, i, null, null, null, null, null));
    }
    model = new ModelConfig("m", null, policy, null, ds);
    long[] clock = {1_000_000_000L};
    RoutingState state = new RoutingState(() -> clock[0]);
    SplittableRandom outcomes = new SplittableRandom(1);
    // Success rates 0.99 down by 0.01 per deployment, a little under the breaker's 5 consecutive failures.
    for (int n = 0; n < 1_000; n++) {
      for (int i = 0; i < deployments; i++) {
        boolean ok = outcomes.nextDouble() < 0.99 - 0.01 * i;
        state.observe(new Outcome("r", 0, "m", "d" + i, "mock", ok ? Outcome.Status.OK : Outcome.Status.ERROR,
            Usage.ZERO, 100 + 10 * i, 20, ok ? null : ErrorCode.UPSTREAM_ERROR, null, null, null, null,
            BigDecimal.ZERO), model);
      }
      clock[0] += 1_000_000;
    }
    decider = new Decider(state, new SplittableRandom(2));
    routingPolicy = RoutingPolicy.forName(policy);
  }

  @Benchmark
  public Decider.Decision decide() {
    return decider.decide(model, routingPolicy, false);
  }
}
