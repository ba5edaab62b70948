package io.tollgate.api.trace;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code tollgate_eventbus_hop_seconds{hop}}: how long a message took across one event-bus hop,
 * from the sender's {@link HopClock} stamp in the message to the receiver's clock when its handler
 * runs (so it includes the receiver's queue). Recorded by the receiving node. A hop's meter is
 * built on its first message; after that a recording costs the timer's own bookkeeping only.
 */
public final class HopTimers {

  /** The hops measured: edge to router, router to connector, connector to edge. */
  public enum Hop {
    ROUTE, CALL, CHUNK;

    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Records nothing (verticles built without a registry). */
  public static final HopTimers NONE = new HopTimers(null);

  /** A local hop is microseconds, a clustered one a fraction of a millisecond; a busy loop shows up as milliseconds. */
  static final Duration[] BUCKETS = {Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
      Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofSeconds(1)};

  private final MeterRegistry registry;
  /** Built on a hop's first message, so a node shows only the hops it receives; a race builds the same meter twice. */
  private final Timer[] timers = new Timer[Hop.values().length];

  /** The node's hop meters; several modules may build them on one registry, which returns the same meters. */
  public HopTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A message stamped {@code sentAtNanos} ({@link HopClock#now()} on its sender) arrived now; 0: not stamped. */
  public void received(Hop hop, long sentAtNanos) {
    if (registry == null || sentAtNanos == 0) {
      return;
    }
    Timer timer = timers[hop.ordinal()];
    if (timer == null) {
      timer = Timer.builder("tollgate_eventbus_hop")
          .description("Time of a message across an event-bus hop: sender's stamp to the receiver's handler")
          .tag("hop", hop.label)
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
      timers[hop.ordinal()] = timer;
    }
    timer.record(Math.max(0, HopClock.now() - sentAtNanos), TimeUnit.NANOSECONDS);
  }
}
