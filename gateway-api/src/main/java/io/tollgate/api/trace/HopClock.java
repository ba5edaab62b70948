package io.tollgate.api.trace;

import java.time.Instant;

/**
 * Wall-clock time in epoch nanoseconds, for stamping an event-bus message on one node and timing
 * its arrival on another: {@link System#nanoTime()} plus an offset calibrated against the system
 * clock (microsecond resolution) every {@link #CALIBRATE_NANOS}. Nodes on one host agree to a few
 * microseconds; across hosts the reading is as good as their clock sync. No allocation per call
 * (only a calibration allocates one {@link Instant}).
 */
public final class HopClock {

  /** How often the offset is taken again, so that NTP adjustments of the wall clock are followed. */
  static final long CALIBRATE_NANOS = 10_000_000_000L;

  private static volatile long offset;
  private static volatile long calibratedAt;

  static {
    calibrate(System.nanoTime());
  }

  private HopClock() {
  }

  /** Now, in nanoseconds since the epoch. */
  public static long now() {
    long n = System.nanoTime();
    if (n - calibratedAt > CALIBRATE_NANOS) {
      calibrate(n);
    }
    return n + offset;
  }

  private static void calibrate(long nanoTime) {
    Instant wall = Instant.now();
    long after = System.nanoTime();
    // The wall reading falls between the two nanoTime reads: take the middle.
    offset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (nanoTime + (after - nanoTime) / 2);
    calibratedAt = after;
  }
}
