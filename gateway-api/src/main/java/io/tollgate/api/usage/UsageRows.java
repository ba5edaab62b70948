package io.tollgate.api.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the receivers of usage events (billing, audit) do to every event before a batch insert,
 * done without per-event formatting: both write thousands of rows a second on the nodes that also
 * answer requests, so an {@code Instant.toString()} or a time-zone lookup per row showed up in
 * their profiles.
 */
public final class UsageRows {

  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long SECONDS_PER_DAY = 86_400L;
  private static final Map<Enum<?>, String> LOWER = new ConcurrentHashMap<>();

  private UsageRows() {
  }

  /**
   * The events of {@code batch} that {@code keep} accepts, one per (request id, start) (a batch may
   * hold a resend of an event next to the event itself), in no particular order: the inserts sort
   * their rows themselves, so that concurrent writers lock index entries in the same order.
   */
  public static List<UsageEvent> unique(List<UsageEvent> batch, Predicate<UsageEvent> keep) {
    Map<Key, UsageEvent> unique = new HashMap<>(batch.size() * 2);
    for (UsageEvent e : batch) {
      if (keep.test(e)) {
        unique.putIfAbsent(new Key(e.requestId(), e.startedAt()), e);
      }
    }
    return new ArrayList<>(unique.values());
  }

  /** The UTC days the events started on, each once. */
  public static List<LocalDate> days(Collection<UsageEvent> rows) {
    List<LocalDate> days = new ArrayList<>(2);
    long last = Long.MIN_VALUE;
    for (UsageEvent e : rows) {
      long day = Math.floorDiv(e.startedAt().getEpochSecond(), SECONDS_PER_DAY);
      if (day != last) {
        last = day;
        LocalDate date = LocalDate.ofEpochDay(day);
        if (!days.contains(date)) {
          days.add(date);
        }
      }
    }
    return days;
  }

  /**
   * Microseconds since the epoch, PostgreSQL's timestamp precision (nanoseconds dropped, as the
   * driver does for an {@code OffsetDateTime}); the SQL turns it back with
   * {@code timestamptz 'epoch' + x * interval '1 microsecond'}, which goes through a double and so
   * is exact for every instant below 2^53 microseconds (until the year 2255).
   */
  public static long micros(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), MICROS_PER_SECOND), at.getNano() / 1_000);
  }

  /** The enum's name in lower case, as stored; null for null. */
  public static String lower(Enum<?> value) {
    return value == null ? null : LOWER.computeIfAbsent(value, v -> v.name().toLowerCase(Locale.ROOT));
  }

  private record Key(String requestId, Instant startedAt) {
  }
}
