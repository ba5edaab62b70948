package io.tollgate.billing;

import java.time.Clock;

/**
 * How the billing role writes the ledger.
 *
 * @param maxBatch       events per INSERT at most
 * @param maxDelayMs     how long a partial batch waits for more events before it is written
 * @param maxBuffered    events held while a batch is being written; more are refused at once (the
 *                       producers' outboxes back off and resend)
 * @param daysAhead      day partitions created ahead of today (more are created on demand)
 * @param clock          today's date for partitions (tests use a fixed one)
 */
public record BillingOptions(int maxBatch, long maxDelayMs, int maxBuffered, int daysAhead, Clock clock) {

  public static final int DEFAULT_MAX_BATCH = 1_000;
  public static final long DEFAULT_MAX_DELAY_MS = 100;
  public static final int DEFAULT_MAX_BUFFERED = 20_000;
  public static final int DEFAULT_DAYS_AHEAD = 3;

  public static final BillingOptions DEFAULTS = new BillingOptions(DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MS,
      DEFAULT_MAX_BUFFERED, DEFAULT_DAYS_AHEAD, Clock.systemUTC());

  public BillingOptions {
    if (maxBatch < 1 || maxDelayMs < 1 || maxBuffered < maxBatch || daysAhead < 0) {
      throw new IllegalArgumentException("billing: batch, delay must be positive, buffer >= batch, days ahead >= 0");
    }
    clock = clock == null ? Clock.systemUTC() : clock;
  }
}
