package io.tollgate.router;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.api.routing.RoutingStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tollgate_breaker_state{deployment}}: 0 closed, 1 half-open, 2 open. Router instances write
 * their view on their own loop every {@link #PERIOD_MS} ms (every instance applies the same
 * outcomes, so their views agree); the gauge reads the last value written, from any thread.
 */
public final class BreakerGauges {

  /** How often each router instance publishes its breakers' states. */
  public static final long PERIOD_MS = 5_000;
  /** Records nothing (routers built without a registry). */
  public static final BreakerGauges NONE = new BreakerGauges(null);

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

  public BreakerGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void update(RoutingStats stats) {
    if (registry == null) {
      return;
    }
    for (RoutingStats.DeploymentStats d : stats.deployments()) {
      states.computeIfAbsent(d.id(), id -> {
        AtomicInteger state = new AtomicInteger();
        Gauge.builder("tollgate_breaker_state", state, AtomicInteger::get)
            .description("Circuit breaker of a deployment: 0 closed, 1 half-open, 2 open")
            .tag("deployment", id).register(registry);
        return state;
      }).set(code(d.breaker()));
    }
  }

  static int code(String breaker) {
    return switch (breaker == null ? "closed" : breaker) {
      case "open" -> 2;
      case "half_open" -> 1;
      default -> 0;
    };
  }
}
