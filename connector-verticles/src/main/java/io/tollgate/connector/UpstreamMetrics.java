package io.tollgate.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.api.bus.Outcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What each upstream attempt cost in time, recorded on the connector node that made it (so each
 * attempt counts once in the cluster, failed ones included):
 * {@code tollgate_upstream_latency_seconds{model,deployment}} (from the call's arrival here to the
 * upstream's last byte or failure) and {@code tollgate_upstream_attempts_total{model,deployment,status}}.
 * One instance per connector verticle, used on its loop: meters are cached per deployment so an
 * attempt costs no lookup or allocation beyond the recording.
 */
public final class UpstreamMetrics {

  /** Bucket bounds: an LLM call takes from tens of milliseconds (a cache hit) to minutes (a long stream). */
  static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
      Duration.ofSeconds(300)};

  private final MeterRegistry registry;
  private final Map<String, Meters> byDeployment = new HashMap<>();
  private final io.tollgate.api.trace.HopTimers hops;

  private record Meters(Timer latency, Map<Outcome.Status, Counter> attempts) {
  }

  public UpstreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.hops = new io.tollgate.api.trace.HopTimers(registry);
  }

  /** {@code tollgate_eventbus_hop_seconds}: the call's hop, router to connector, is timed here. */
  public io.tollgate.api.trace.HopTimers hops() {
    return hops;
  }

  public void record(Outcome outcome) {
    if (registry == null || outcome == null) {
      return;
    }
    Meters m = byDeployment.computeIfAbsent(outcome.model() + '\u0000' + outcome.deploymentId(),
        k -> meters(outcome.model(), outcome.deploymentId()));
    m.latency().record(Math.max(0, outcome.latencyMillis()), TimeUnit.MILLISECONDS);
    m.attempts().get(outcome.status()).increment();
  }

  private Meters meters(String model, String deployment) {
    Timer latency = Timer.builder("tollgate_upstream_latency")
        .description("Time of each upstream attempt, from its arrival at the connector to its end")
        .tags("model", model, "deployment", deployment)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    Map<Outcome.Status, Counter> attempts = new java.util.EnumMap<>(Outcome.Status.class);
    for (Outcome.Status s : Outcome.Status.values()) {
      attempts.put(s, Counter.builder("tollgate_upstream_attempts")
          .description("Upstream attempts by how they ended (failovers included)")
          .tags("model", model, "deployment", deployment, "status", s.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
    return new Meters(latency, attempts);
  }
}
