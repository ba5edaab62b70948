package io.tollgate.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.bus.Cancel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Connector call table: tombstones of early cancels are bounded in time and number")
class CallTableTest {

  private long now = 0;

  @Test
  @DisplayName("a tombstone expires after its time")
  void expires() {
    CallTable table = new CallTable(() -> now, 1_000, 100);
    table.tombstone(new Cancel("r", 0, "x"));
    now += 999_000_000L;
    assertThat(table.cancelledEarly("r", 0)).isTrue();
    assertThat(table.cancelledEarly("r", 1)).isFalse();
    now += 1_000_000L;
    assertThat(table.cancelledEarly("r", 0)).isFalse();
  }

  @Test
  @DisplayName("at most the configured number is kept, oldest dropped first")
  void bounded() {
    CallTable table = new CallTable(() -> now, 60_000, 3);
    for (int i = 0; i < 5; i++) {
      table.tombstone(new Cancel("r" + i, Cancel.ANY_ATTEMPT, "x"));
    }
    assertThat(table.cancelledEarly("r0", 7)).isFalse();
    assertThat(table.cancelledEarly("r1", 7)).isFalse();
    assertThat(table.cancelledEarly("r4", 7)).isTrue();
  }
}
