package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.config.GatewayConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("audit.retention_days: from the environment, else the config file, else 30; never silently ignored")
class AuditRetentionSettingTest {

  private static GatewayConfig load(String yaml) {
    return ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), name -> null,
        "test.yaml");
  }

  @Test
  @DisplayName("the config file's audit.retention_days applies; TOLLGATE_AUDIT_RETENTION_DAYS wins over it; default 30")
  void sources() {
    GatewayConfig file = load("audit:\n  retention_days: 7\n");
    assertThat(Tollgate.retentionDays(name -> null, file)).isEqualTo(7);
    assertThat(Tollgate.retentionDays(Map.of("TOLLGATE_AUDIT_RETENTION_DAYS", "90")::get, file)).isEqualTo(90);
    assertThat(Tollgate.retentionDays(name -> null, null)).isEqualTo(30);
    assertThat(Tollgate.retentionDays(name -> null, load("models: []\n"))).isEqualTo(30);
  }

  @Test
  @DisplayName("a retention that is not a whole number of days >= 1 refuses the start, naming the setting")
  void refused() {
    assertThatThrownBy(() -> Tollgate.retentionDays(Map.of("TOLLGATE_AUDIT_RETENTION_DAYS", "0")::get, null))
        .hasMessageContaining("TOLLGATE_AUDIT_RETENTION_DAYS");
    assertThatThrownBy(() -> Tollgate.retentionDays(Map.of("TOLLGATE_AUDIT_RETENTION_DAYS", "a month")::get, null))
        .hasMessageContaining("TOLLGATE_AUDIT_RETENTION_DAYS");
    assertThatThrownBy(() -> load("audit:\n  retention_days: 0\n")).hasMessageContaining("audit.retention_days");
    assertThatThrownBy(() -> load("audit:\n  retention_dayz: 10\n")).hasMessageContaining("retention_dayz");
  }
}
