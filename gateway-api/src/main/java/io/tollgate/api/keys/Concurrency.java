package io.tollgate.api.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Bounded concurrency with a bounded wait queue, for a tenant or a deployment.
 *
 * @param maxConcurrent requests running at once; null means unlimited
 * @param maxQueue      requests waiting for a slot; beyond it a request is refused at once
 * @param maxWaitMs     how long a request waits for a slot before it is refused
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Concurrency(Integer maxConcurrent, Integer maxQueue, Long maxWaitMs) {

  public static final int DEFAULT_MAX_QUEUE = 0;
  public static final long DEFAULT_MAX_WAIT_MS = 10_000;

  public Concurrency {
    maxQueue = maxQueue == null ? DEFAULT_MAX_QUEUE : maxQueue;
    maxWaitMs = maxWaitMs == null ? DEFAULT_MAX_WAIT_MS : maxWaitMs;
    if ((maxConcurrent != null && maxConcurrent < 1) || maxQueue < 0 || maxWaitMs < 0) {
      throw new IllegalArgumentException("concurrency: max_concurrent must be >= 1, max_queue and max_wait_ms >= 0");
    }
  }

  public boolean limited() {
    return maxConcurrent != null;
  }
}
