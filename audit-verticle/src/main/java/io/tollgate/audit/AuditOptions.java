package io.tollgate.audit;

import java.time.Clock;

/**
 * How the audit role writes and keeps the request audit log.
 *
 * @param maxBatch        records per INSERT at most
 * @param maxDelayMs      how long a partial batch waits for more before it is written
 * @param maxBuffered     records held while a batch is written; more are refused (producers resend)
 * @param daysAhead       day partitions created ahead of today
 * @param retentionDays   day partitions wholly older than this many days are dropped
 * @param retentionEveryMs how often the retention job runs
 * @param clock           today's date for partitions and retention (tests use a fixed one)
 */
public record AuditOptions(int maxBatch, long maxDelayMs, int maxBuffered, int daysAhead, int retentionDays,
                           long retentionEveryMs, Clock clock) {

  public static final int DEFAULT_MAX_BATCH = 1_000;
  public static final long DEFAULT_MAX_DELAY_MS = 100;
  public static final int DEFAULT_MAX_BUFFERED = 20_000;
  public static final int DEFAULT_DAYS_AHEAD = 3;
  /** The issue's {@code audit.retention_days} default. */
  public static final int DEFAULT_RETENTION_DAYS = 30;
  public static final long DEFAULT_RETENTION_EVERY_MS = 60 * 60 * 1000L;

  public static final AuditOptions DEFAULTS = new AuditOptions(DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MS,
      DEFAULT_MAX_BUFFERED, DEFAULT_DAYS_AHEAD, DEFAULT_RETENTION_DAYS, DEFAULT_RETENTION_EVERY_MS, Clock.systemUTC());

  public AuditOptions {
    if (maxBatch < 1 || maxDelayMs < 1 || maxBuffered < maxBatch || daysAhead < 0 || retentionDays < 1
        || retentionEveryMs < 1) {
      throw new IllegalArgumentException("audit: batch, delay, retention must be positive, buffer >= batch");
    }
    clock = clock == null ? Clock.systemUTC() : clock;
  }

  public AuditOptions withRetentionDays(int days) {
    return new AuditOptions(maxBatch, maxDelayMs, maxBuffered, daysAhead, days, retentionEveryMs, clock);
  }
}
