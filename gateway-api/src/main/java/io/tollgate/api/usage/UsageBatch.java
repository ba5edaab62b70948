package io.tollgate.api.usage;

import java.util.List;

/**
 * Several requests' usage in one event-bus message to {@link io.tollgate.api.Addresses#BILLING_USAGE}
 * or {@link io.tollgate.api.Addresses#AUDIT_USAGE}: one request-reply per event cost the edge too much
 * CPU at a few thousand requests per second, so the edge's outbox sends what queued up in a batch.
 *
 * <p>A receiver acknowledges a batch only after every event of it is durably written; a failure or a
 * missing ack means "send the whole batch again". Writes are idempotent per
 * {@link UsageEvent#requestId()}, so a resent batch (or one that overlaps an earlier one) never
 * counts an event twice.
 *
 * @param events in the order the edge queued them; never null, an immutable copy
 */
public record UsageBatch(List<UsageEvent> events) {

  public UsageBatch {
    events = events == null ? List.of() : List.copyOf(events);
  }

  public static UsageBatch of(UsageEvent... events) {
    return new UsageBatch(List.of(events));
  }

  public int size() {
    return events.size();
  }
}
