package io.tollgate.api.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Asks a billing node to compare one UTC day of the ledger with the limits' Redis counters
 * ({@link io.tollgate.api.Addresses#BILLING_RECONCILE}).
 *
 * @param day the UTC day (a day still running also counts requests in flight on the Redis side)
 */
public record ReconcileRequest(LocalDate day) {

  public ReconcileRequest {
    Objects.requireNonNull(day, "day");
  }
}
