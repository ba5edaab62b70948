package io.tollgate.edge.usage;

/**
 * Bounds of the usage outbox of one edge verticle instance.
 *
 * @param capacity           events held per destination (queued plus awaiting an ack); past it new
 *                           events are dropped and counted, never blocking the request path
 * @param maxBatch           events per bus message ({@link io.tollgate.api.usage.UsageBatch}) at most
 * @param maxInFlightBatches batches sent and not yet acknowledged, per destination
 * @param ackTimeoutMs       how long one batch waits for its ack before it counts as failed
 * @param initialBackoffMs   first pause after a failed send; doubles up to {@code maxBackoffMs}
 * @param maxBackoffMs       longest pause between retries while a destination keeps failing
 * @param lingerMs           how long the first event of a batch waits for more before the batch leaves
 *                           (a full batch leaves at once); 0 sends at the end of the event-loop turn
 */
public record OutboxOptions(int capacity, int maxBatch, int maxInFlightBatches, long ackTimeoutMs,
                            long initialBackoffMs, long maxBackoffMs, long lingerMs) {

  public static final int DEFAULT_CAPACITY = 100_000;
  /** One request-reply per event cost the edge too much CPU; a few hundred per message amortise it. */
  public static final int DEFAULT_MAX_BATCH = 256;
  /**
   * Enough to keep a batching consumer busy (2,048 events in flight at full batches) without
   * flooding a slow one; while the window is full, events pile up into bigger batches.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT_BATCHES = 8;
  public static final long DEFAULT_ACK_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_INITIAL_BACKOFF_MS = 100;
  public static final long DEFAULT_MAX_BACKOFF_MS = 5_000;
  /**
   * At 1,000 requests/s per edge instance one message per event-loop turn meant about one message
   * (and one ack, two thread hand-offs) per event and destination; 20 ms gathers about 20 events
   * per message there, and delays a lone event's ledger row by no more than that.
   */
  public static final long DEFAULT_LINGER_MS = 20;

  public static final OutboxOptions DEFAULTS = new OutboxOptions(DEFAULT_CAPACITY, DEFAULT_MAX_BATCH,
      DEFAULT_MAX_IN_FLIGHT_BATCHES, DEFAULT_ACK_TIMEOUT_MS, DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS,
      DEFAULT_LINGER_MS);

  public OutboxOptions {
    if (capacity < 1 || maxBatch < 1 || maxInFlightBatches < 1 || ackTimeoutMs < 1 || initialBackoffMs < 1
        || maxBackoffMs < initialBackoffMs || lingerMs < 0) {
      throw new IllegalArgumentException("outbox: capacity, batch size, batches in flight, timeouts and backoffs "
          + "must be positive, max backoff >= initial backoff, linger >= 0");
    }
  }

  /** Without a linger: every event-loop turn's events leave at the end of that turn. */
  public OutboxOptions(int capacity, int maxBatch, int maxInFlightBatches, long ackTimeoutMs, long initialBackoffMs,
                       long maxBackoffMs) {
    this(capacity, maxBatch, maxInFlightBatches, ackTimeoutMs, initialBackoffMs, maxBackoffMs, 0);
  }
}
