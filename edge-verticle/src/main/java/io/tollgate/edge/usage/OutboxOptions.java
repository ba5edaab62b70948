package io.tollgate.edge.usage;

/**
 * Bounds of the usage outbox of one edge verticle instance.
 *
 * @param capacity         events held per destination (queued plus awaiting an ack); past it new
 *                         events are dropped and counted, never blocking the request path
 * @param maxInFlight      events sent and not yet acknowledged, per destination
 * @param ackTimeoutMs     how long one send waits for its ack before it counts as failed
 * @param initialBackoffMs first pause after a failed send; doubles up to {@code maxBackoffMs}
 * @param maxBackoffMs     longest pause between retries while a destination keeps failing
 */
public record OutboxOptions(int capacity, int maxInFlight, long ackTimeoutMs, long initialBackoffMs,
                            long maxBackoffMs) {

  public static final int DEFAULT_CAPACITY = 100_000;
  /** Enough to keep a batching consumer's batches full without flooding a slow one. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 512;
  public static final long DEFAULT_ACK_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_INITIAL_BACKOFF_MS = 100;
  public static final long DEFAULT_MAX_BACKOFF_MS = 5_000;

  public static final OutboxOptions DEFAULTS = new OutboxOptions(DEFAULT_CAPACITY, DEFAULT_MAX_IN_FLIGHT,
      DEFAULT_ACK_TIMEOUT_MS, DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS);

  public OutboxOptions {
    if (capacity < 1 || maxInFlight < 1 || ackTimeoutMs < 1 || initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs) {
      throw new IllegalArgumentException("outbox: capacity, max in flight, timeouts and backoffs must be positive "
          + "and max backoff >= initial backoff");
    }
  }
}
