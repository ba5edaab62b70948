package io.tollgate.router.policy;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Models, outcomes and a hand-driven clock for the policy tests. */
final class Fixtures {

  /** A clock the test moves; starts at 1 s so that 0 is never a meaningful time. */
  static final class FakeClock {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    long now() {
      return nanos.get();
    }

    void advanceMs(long ms) {
      nanos.addAndGet(ms * 1_000_000L);
    }
  }

  private Fixtures() {
  }

  static DeploymentConfig deployment(String id, int weight, int priority) {
    return new DeploymentConfig(id, "mock", null, null, null, weight, priority, null, null, null, null, null);
  }

  static ModelConfig model(String policy, RoutingOptions routing, DeploymentConfig... deployments) {
    return new ModelConfig("m", null, policy, routing, List.of(deployments));
  }

  /** Options with no decay unless given, so counts in tests are whole numbers. */
  static RoutingOptions noDecay() {
    return new RoutingOptions(null, 0L, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  static Outcome ok(String deployment, long latencyMs, long ttftMs) {
    return new Outcome("r", 0, "m", deployment, "mock", Outcome.Status.OK, Usage.ZERO, latencyMs, ttftMs, null,
        null, null, null, null, BigDecimal.ZERO);
  }

  static Outcome failed(String deployment, ErrorCode code) {
    return new Outcome("r", 0, "m", deployment, "mock", Outcome.Status.ERROR, Usage.ZERO, 10, -1, code, "x",
        null, null, null, BigDecimal.ZERO);
  }

  /** Successes and failures alternating while both last, so that a mixed record does not trip the breaker. */
  static void feed(RoutingState state, ModelConfig model, String deployment, int successes, int failures) {
    int s = successes;
    int f = failures;
    while (s > 0 || f > 0) {
      if (s > 0) {
        state.observe(ok(deployment, 100, 10), model);
        s--;
      }
      if (f > 0) {
        state.observe(failed(deployment, ErrorCode.UPSTREAM_ERROR), model);
        f--;
      }
    }
  }
}
