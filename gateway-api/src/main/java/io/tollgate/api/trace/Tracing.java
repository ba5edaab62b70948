package io.tollgate.api.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * A node's tracer, or {@link #OFF}. Spans are started explicitly with their parent (a remote
 * {@link TraceContext} from the event bus, or a local span), never through a thread's current
 * context: one event loop interleaves many requests. With tracing off every method returns
 * {@link Span#getInvalid()} (a shared no-op) and parses nothing, so callers need no checks of
 * their own unless building an attribute costs something.
 */
public final class Tracing {

  /** No tracing: no span objects, no parsing. */
  public static final Tracing OFF = new Tracing(null);

  private static final String SCOPE = "io.tollgate";
  private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(TraceContext carrier) {
      return List.of(TraceContext.TRACEPARENT, TraceContext.TRACESTATE);
    }

    @Override
    public String get(TraceContext carrier, String key) {
      if (carrier == null) {
        return null;
      }
      return TraceContext.TRACEPARENT.equals(key) ? carrier.traceparent()
          : TraceContext.TRACESTATE.equals(key) ? carrier.tracestate() : null;
    }
  };

  private final Tracer tracer;

  private Tracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Tracing through {@code otel}'s tracer provider. */
  public static Tracing of(OpenTelemetry otel) {
    return new Tracing(otel.getTracer(SCOPE));
  }

  public boolean on() {
    return tracer != null;
  }

  /**
   * A span whose parent arrived from another node or the client ({@code parent} null or
   * malformed: the span starts a new trace, as W3C asks of a participant that cannot read it).
   */
  public Span start(String name, SpanKind kind, TraceContext parent) {
    if (tracer == null) {
      return Span.getInvalid();
    }
    Context remote = parent == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), parent, GETTER);
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(remote).startSpan();
  }

  /** A span under a local one ({@code parent} invalid: a new trace). */
  public Span start(String name, SpanKind kind, Span parent) {
    if (tracer == null) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.root().with(parent)).startSpan();
  }

  /**
   * What to send onward: {@code span}'s own context when it is recording, else what came in
   * ({@code incoming}, possibly null), so that with tracing off the client's context passes
   * through unchanged. The tracestate travels as it came: Tollgate adds no entry of its own.
   */
  public static TraceContext onward(Span span, TraceContext incoming) {
    SpanContext sc = span.getSpanContext();
    if (!sc.isValid()) {
      return incoming;
    }
    String traceparent = "00-" + sc.getTraceId() + '-' + sc.getSpanId() + '-' + sc.getTraceFlags().asHex();
    return new TraceContext(traceparent, incoming == null ? null : incoming.tracestate());
  }

  /** Ends {@code span}, marked as an error with {@code error} (a code, never upstream text) when not null. */
  public static void end(Span span, String error) {
    if (!span.getSpanContext().isValid()) {
      return;
    }
    if (error != null) {
      span.setStatus(StatusCode.ERROR, error);
      span.setAttribute("error.type", error);
    }
    span.end();
  }
}
