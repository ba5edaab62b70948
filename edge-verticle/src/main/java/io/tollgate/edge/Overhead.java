package io.tollgate.edge;

import io.tollgate.edge.metrics.EdgeMetrics;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code x-tollgate-overhead-ms} and {@code tollgate_overhead_seconds}: the time from the
 * request's arrival until its answer starts, less the upstream's own time to its status line
 * (as the connector measured it). Said once per answer, on its head.
 */
final class Overhead {

  static final String HEADER = "x-tollgate-overhead-ms";

  private Overhead() {
  }

  static void put(RoutingContext ctx, UsageEvents.Arrival arrival, long upstreamNanos, EdgeMetrics metrics) {
    if (arrival == null || ctx.response().headWritten() || ctx.response().headers().contains(HEADER)) {
      return;
    }
    long nanos = Math.max(0, System.nanoTime() - arrival.nanos() - upstreamNanos);
    ctx.response().putHeader(HEADER, millis(nanos));
    // A route label only for the endpoints the gateway serves: client paths would make any number of series.
    String path = ctx.request().path();
    metrics.overhead(EdgeVerticle.CHAT_PATHS.contains(path) ? path : "other", nanos);
  }

  /** Milliseconds with three decimals ("0.214"), without String.format's cost on every answer. */
  static String millis(long nanos) {
    long micros = nanos / 1_000;
    long frac = micros % 1_000;
    return (micros / 1_000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }
}
