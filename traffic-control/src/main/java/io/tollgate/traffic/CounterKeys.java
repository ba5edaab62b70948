package io.tollgate.traffic;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Names of the daily counters admission keeps in Redis, for readers outside this module (the
 * billing role's reconciliation). Must match what {@link Plan} writes; the reconciliation's test
 * admits and settles through the real script and reads them back by these names.
 */
public final class CounterKeys {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  private CounterKeys() {
  }

  /** Nano-dollars reserved and settled on {@code day} (UTC) by a key or tenant. */
  public static String dailyUsd(String prefix, LimitScope scope, String id, LocalDate day) {
    return prefix + "usd:" + base(scope, id) + ":d:" + day.format(DAY);
  }

  /** Prompt plus completion tokens reserved and settled on {@code day} (UTC). */
  public static String dailyTokens(String prefix, LimitScope scope, String id, LocalDate day) {
    return prefix + "tok:" + base(scope, id) + ":d:" + day.format(DAY);
  }

  private static String base(LimitScope scope, String id) {
    return scope.name().substring(0, 1).toLowerCase(java.util.Locale.ROOT) + ":" + id;
  }
}
