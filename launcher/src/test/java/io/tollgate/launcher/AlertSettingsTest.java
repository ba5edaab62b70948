package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.billing.alerts.AlertOptions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Budget alert settings from the environment")
class AlertSettingsTest {

  @Test
  @DisplayName("defaults without variables, the spike factor and floor when set, a clear error when not numbers")
  void parse() {
    AlertOptions none = AlertSettings.parse(Map.<String, String>of()::get);
    assertThat(none.spikeFactor()).isEqualTo(3.0);
    assertThat(none.spikeMinUsd()).isEqualByComparingTo("1.00");
    AlertOptions set = AlertSettings.parse(Map.of("TOLLGATE_ALERTS_SPIKE_FACTOR", "5",
        "TOLLGATE_ALERTS_SPIKE_MIN_USD", "20.5")::get);
    assertThat(set.spikeFactor()).isEqualTo(5.0);
    assertThat(set.spikeMinUsd()).isEqualByComparingTo("20.5");
    assertThatThrownBy(() -> AlertSettings.parse(Map.of("TOLLGATE_ALERTS_SPIKE_FACTOR", "lots")::get))
        .hasMessageContaining("TOLLGATE_ALERTS_SPIKE_FACTOR");
    assertThatThrownBy(() -> AlertSettings.parse(Map.of("TOLLGATE_ALERTS_SPIKE_FACTOR", "0.5")::get))
        .hasMessageContaining("spike_factor");
  }
}
