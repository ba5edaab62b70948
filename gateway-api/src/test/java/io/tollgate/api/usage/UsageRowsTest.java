package io.tollgate.api.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.bus.Outcome;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Usage rows: duplicates, days and microseconds of a batch, as billing and audit write them")
class UsageRowsTest {

  private static UsageEvent event(String id, String start, String deployment) {
    Instant at = Instant.parse(start);
    return new UsageEvent(id, at, at, "t", "k", "m", deployment, "p", 0, null, null, 1, -1, Outcome.Status.OK,
        null, null, null, null, null);
  }

  @Test
  @DisplayName("a resent event next to itself is one row; the same id with another start is another row; the filter applies")
  void unique() {
    UsageEvent a = event("req-1", "2026-11-27T10:00:00Z", "d");
    UsageEvent again = event("req-1", "2026-11-27T10:00:00Z", "d");
    UsageEvent otherStart = event("req-1", "2026-11-27T10:00:01Z", "d");
    UsageEvent refused = event("req-2", "2026-11-27T10:00:00Z", null);
    assertThat(UsageRows.unique(List.of(a, again, otherStart, refused), e -> e.deploymentId() != null))
        .containsExactlyInAnyOrder(a, otherStart);
  }

  @Test
  @DisplayName("the UTC days of a batch spanning midnight, each once, before 1970 too")
  void days() {
    List<UsageEvent> rows = List.of(event("a", "2026-11-26T23:59:59.999Z", "d"),
        event("b", "2026-11-27T00:00:00Z", "d"), event("c", "2026-11-26T12:00:00Z", "d"),
        event("d", "1969-12-31T23:00:00Z", "d"));
    assertThat(UsageRows.days(rows)).containsExactly(LocalDate.parse("2026-11-26"), LocalDate.parse("2026-11-27"),
        LocalDate.parse("1969-12-31"));
  }

  @Test
  @DisplayName("microseconds since the epoch drop the nanoseconds, rounding down, also before 1970")
  void micros() {
    assertThat(UsageRows.micros(Instant.parse("2026-11-27T10:20:00.123456789Z"))).isEqualTo(1_795_774_800_123_456L);
    assertThat(UsageRows.micros(Instant.parse("1969-12-31T23:59:59.999999500Z"))).isEqualTo(-1L);
    assertThat(UsageRows.lower(Outcome.Status.CANCELLED)).isEqualTo("cancelled");
    assertThat(UsageRows.lower(null)).isNull();
  }
}
