package io.tollgate.launcher;

import io.tollgate.admin.store.ConfigStore;
import io.tollgate.edge.batch.BatchOptions;
import io.tollgate.edge.batch.BatchStore;
import io.vertx.core.Vertx;
import java.util.function.Function;

/**
 * Batch jobs on an edge node, from the environment, read once at start:
 * <pre>
 * TOLLGATE_BATCH_CONCURRENCY (4)   lines this node runs at once
 * TOLLGATE_BATCH_LEASE_MS (60000)  how long a claimed line stays its worker's; after it, another node runs it
 * </pre>
 * Without PostgreSQL on the node there is no store: /v1/files and /v1/batches answer 503 and no worker runs.
 */
final class BatchSettings {

  /** Connections of the node's batch store: its API calls and one worker, neither on the chat hot path. */
  static final int POOL_SIZE = 4;

  private BatchSettings() {
  }

  static BatchStore store(Vertx vertx, String pgUrl, Function<String, String> env) {
    if (pgUrl == null) {
      return null;
    }
    BatchOptions d = BatchOptions.DEFAULTS;
    int concurrency = (int) positive(env, "TOLLGATE_BATCH_CONCURRENCY", d.concurrency());
    long lease = positive(env, "TOLLGATE_BATCH_LEASE_MS", d.leaseMs());
    BatchOptions options = new BatchOptions(d.maxFileBytes(), d.maxLines(), concurrency, lease,
        Math.min(d.pollMs(), lease / 4 + 1));
    return new BatchStore(ConfigStore.pool(vertx, pgUrl, POOL_SIZE), options);
  }

  private static long positive(Function<String, String> env, String name, long fallback) {
    String raw = env.apply(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(name + " must be a positive whole number, got '" + raw + "'");
  }
}
