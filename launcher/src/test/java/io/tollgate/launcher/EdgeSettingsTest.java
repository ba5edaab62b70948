package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.edge.EdgeOptions;
import io.tollgate.edge.EdgeOptions.ForwardedHeader;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Edge connection and proxy settings from the environment")
class EdgeSettingsTest {

  @Test
  @DisplayName("without variables: the named defaults, no trusted proxies")
  void defaults() {
    Settings settings = Settings.parse(new String[0], Map.of());
    assertThat(settings.edge()).isEqualTo(EdgeSettings.DEFAULTS);
    EdgeOptions options = settings.edge().apply(EdgeOptions.defaults(), 4);
    assertThat(options.idleTimeoutMs()).isEqualTo(EdgeOptions.DEFAULT_IDLE_TIMEOUT_MS);
    assertThat(options.requestReadTimeoutMs()).isEqualTo(EdgeOptions.DEFAULT_REQUEST_READ_TIMEOUT_MS);
    assertThat(options.maxConnections()).isEqualTo(EdgeSettings.DEFAULT_MAX_CONNECTIONS / 4);
    assertThat(options.trustedProxies()).isEmpty();
  }

  @Test
  @DisplayName("overrides are read, and the node's connection limit is split over its edge instances")
  void overrides() {
    EdgeSettings edge = Settings.parse(new String[0], Map.of(
        "TOLLGATE_EDGE_IDLE_TIMEOUT_MS", "15000",
        "TOLLGATE_EDGE_REQUEST_READ_TIMEOUT_MS", "5000",
        "TOLLGATE_EDGE_MAX_CONNECTIONS", "1001",
        "TOLLGATE_TRUSTED_PROXIES", " 10.0.0.0/8, 2001:db8::/32 ,192.0.2.1",
        "TOLLGATE_FORWARDED_HEADER", "Forwarded")).edge();

    EdgeOptions options = edge.apply(EdgeOptions.defaults(), 2);
    assertThat(options.idleTimeoutMs()).isEqualTo(15_000);
    assertThat(options.requestReadTimeoutMs()).isEqualTo(5_000);
    assertThat(options.maxConnections()).isEqualTo(501);
    assertThat(options.trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32", "192.0.2.1");
    assertThat(options.forwardedHeader()).isEqualTo(ForwardedHeader.FORWARDED);
  }

  @Test
  @DisplayName("unusable values are refused with the variable's name")
  void refused() {
    assertThatThrownBy(() -> Settings.parse(new String[0], Map.of("TOLLGATE_TRUSTED_PROXIES", "proxy.internal")))
        .hasMessageContaining("TOLLGATE_TRUSTED_PROXIES").hasMessageContaining("proxy.internal");
    assertThatThrownBy(() -> Settings.parse(new String[0], Map.of("TOLLGATE_EDGE_IDLE_TIMEOUT_MS", "0")))
        .hasMessageContaining("TOLLGATE_EDGE_IDLE_TIMEOUT_MS");
    assertThatThrownBy(() -> Settings.parse(new String[0], Map.of("TOLLGATE_FORWARDED_HEADER", "x-real-ip")))
        .hasMessageContaining("TOLLGATE_FORWARDED_HEADER");
  }
}
