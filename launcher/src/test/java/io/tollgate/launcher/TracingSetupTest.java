package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tracing is off unless the OTEL_* variables ask for an exporter")
class TracingSetupTest {

  private static boolean wanted(Map<String, String> env) {
    return TracingSetup.wanted(env::get);
  }

  @Test
  @DisplayName("off by default; on with an OTLP endpoint or a named exporter; OTEL_SDK_DISABLED and 'none' win")
  void whenOn() {
    assertThat(wanted(Map.of())).isFalse();
    assertThat(wanted(Map.of("OTEL_SERVICE_NAME", "gw"))).as("a service name alone exports nothing").isFalse();
    assertThat(wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"))).isTrue();
    assertThat(wanted(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"))).isTrue();
    assertThat(wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
    assertThat(wanted(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318")))
        .isFalse();
    assertThat(wanted(Map.of("OTEL_SDK_DISABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318")))
        .isFalse();
    assertThat(TracingSetup.start(Map.<String, String>of()::get, Set.of(Role.EDGE)).tracing().on()).isFalse();
  }

  @Test
  @DisplayName("gRPC, which is not bundled, is refused at start with a message that says what to use")
  void grpcRefused() {
    Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    assertThatThrownBy(() -> TracingSetup.start(env::get, Set.of(Role.EDGE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf");
  }

  @Test
  @DisplayName("with an endpoint the node gets a working tracer, and closing it flushes without a collector")
  void onAndClosed() {
    TracingSetup.Telemetry t = TracingSetup.start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "200")::get, Set.of(Role.ROUTER));
    assertThat(t.tracing().on()).isTrue();
    t.close();
  }
}
