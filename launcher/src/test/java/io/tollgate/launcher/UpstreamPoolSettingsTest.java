package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.connector.ConnectorOptions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Upstream pool settings from the environment")
class UpstreamPoolSettingsTest {

  @Test
  @DisplayName("unset variables keep the defaults; set ones size the pool and its queue and turn HTTP/2 off")
  void fromEnvironment() {
    ConnectorOptions defaults = Tollgate.upstreamPool(new ConnectorOptions(), name -> null);
    assertThat(defaults.getHttpPoolSize()).isEqualTo(ConnectorOptions.DEFAULT_HTTP_POOL_SIZE);
    assertThat(defaults.getHttpPoolQueue()).isEqualTo(ConnectorOptions.DEFAULT_HTTP_POOL_QUEUE);
    assertThat(defaults.isHttp2()).isTrue();

    Map<String, String> env = Map.of("TOLLGATE_UPSTREAM_POOL_SIZE", "16", "TOLLGATE_UPSTREAM_POOL_QUEUE", "0",
        "TOLLGATE_UPSTREAM_HTTP2", "OFF");
    ConnectorOptions set = Tollgate.upstreamPool(new ConnectorOptions(), env::get);
    assertThat(set.getHttpPoolSize()).isEqualTo(16);
    assertThat(set.getHttpPoolQueue()).isZero();
    assertThat(set.isHttp2()).isFalse();
  }

  @Test
  @DisplayName("a bad number names the variable")
  void badNumber() {
    assertThatThrownBy(() -> Tollgate.upstreamPool(new ConnectorOptions(),
        Map.of("TOLLGATE_UPSTREAM_POOL_SIZE", "0")::get))
        .hasMessageContaining("TOLLGATE_UPSTREAM_POOL_SIZE");
    assertThatThrownBy(() -> Tollgate.upstreamPool(new ConnectorOptions(),
        Map.of("TOLLGATE_UPSTREAM_POOL_QUEUE", "many")::get))
        .hasMessageContaining("TOLLGATE_UPSTREAM_POOL_QUEUE");
  }
}
