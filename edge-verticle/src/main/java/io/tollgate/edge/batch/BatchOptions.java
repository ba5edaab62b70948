package io.tollgate.edge.batch;

/**
 * Batch jobs, read once at start.
 *
 * @param maxFileBytes  largest JSONL file accepted by {@code POST /v1/files}
 * @param maxLines      most requests in one input file
 * @param concurrency   lines one node runs at once (kept small: batches run below interactive traffic)
 * @param leaseMs       how long a claimed line belongs to its worker; a worker that died loses its
 *                      lines after this and another node runs them
 * @param pollMs        how often an idle worker looks for work
 */
public record BatchOptions(long maxFileBytes, int maxLines, int concurrency, long leaseMs, long pollMs) {

  public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;
  public static final int DEFAULT_MAX_LINES = 50_000;
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final long DEFAULT_LEASE_MS = 60_000;
  public static final long DEFAULT_POLL_MS = 500;
  public static final BatchOptions DEFAULTS = new BatchOptions(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_LINES,
      DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, DEFAULT_POLL_MS);

  public BatchOptions {
    if (maxFileBytes < 1 || maxLines < 1 || concurrency < 1 || leaseMs < 1 || pollMs < 1) {
      throw new IllegalArgumentException("batch limits, concurrency, lease and poll interval must be positive");
    }
  }

  public BatchOptions withLease(long ms, long poll) {
    return new BatchOptions(maxFileBytes, maxLines, concurrency, ms, poll);
  }
}
