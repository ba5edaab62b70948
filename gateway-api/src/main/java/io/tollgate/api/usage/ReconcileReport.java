package io.tollgate.api.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One UTC day of the ledger against the Redis daily counters the edges reserve and settle.
 *
 * @param checked     keys and tenants compared (those with a daily budget or token quota, or a counter)
 * @param differences those whose counters disagree with the ledger beyond rounding; empty when all agree
 */
public record ReconcileReport(LocalDate day, Instant ranAt, int checked, List<Difference> differences) {

  public ReconcileReport {
    differences = differences == null ? List.of() : List.copyOf(differences);
  }

  /**
   * One key's or tenant's day. Redis values are null where it keeps no counter (no such daily
   * limit, or the counter expired a day after its day ended).
   *
   * @param scope          {@code key} or {@code tenant}
   * @param ledgerRequests requests billed that day
   * @param ledgerUsd      cost billed (exact)
   * @param redisUsd       the daily budget counter (nano-dollars as USD; each request rounded up to a nano-dollar)
   * @param ledgerTokens   prompt plus completion tokens billed
   * @param redisTokens    the daily token quota counter
   */
  public record Difference(String scope, String id, long ledgerRequests, BigDecimal ledgerUsd, BigDecimal redisUsd,
                           long ledgerTokens, Long redisTokens) {
  }
}
