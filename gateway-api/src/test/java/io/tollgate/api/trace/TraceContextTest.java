package io.tollgate.api.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("W3C trace context as carried on the event bus")
class TraceContextTest {

  @Test
  @DisplayName("the trace id of a well-formed traceparent, none of a malformed or all-zero one")
  void traceId() {
    assertThat(TraceContext.fromHeaders("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null).traceId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceContext.fromHeaders("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null).traceId())
        .isNull();
    assertThat(TraceContext.fromHeaders("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", null).traceId())
        .as("upper case is invalid in W3C").isNull();
    assertThat(TraceContext.fromHeaders("garbage", null).traceId()).isNull();
    assertThat(TraceContext.fromHeaders(null, "a=b")).isNull();
    assertThat(TraceContext.fromHeaders("x".repeat(300), null)).as("oversized: dropped").isNull();
  }

  @Test
  @DisplayName("with tracing off nothing is parsed or made: the incoming context goes on unchanged")
  void offPassesThrough() {
    TraceContext in = TraceContext.fromHeaders("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");
    Span span = Tracing.OFF.start("attempt", SpanKind.CLIENT, in);
    assertThat(span).isSameAs(Span.getInvalid());
    assertThat(Tracing.onward(span, in)).isSameAs(in);
    assertThat(Tracing.onward(span, null)).isNull();
  }
}
