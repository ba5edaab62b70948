package io.tollgate.bench.jmh;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tollgate.api.trace.HopClock;
import io.tollgate.api.trace.HopTimers;
import io.tollgate.api.trace.TraceContext;
import io.tollgate.api.trace.Tracing;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing and the hop meter cost per request and per message, with the production classes:
 * the span work of one request across edge, router and connector (seven spans, four contexts
 * parsed or formatted) with tracing off and on, and one {@code tollgate_eventbus_hop_seconds}
 * recording. Run: {@code java -cp bench/target/tollgate-bench.jar org.openjdk.jmh.Main TracingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TracingBenchmark {

  private static final TraceContext CLIENT = TraceContext.fromHeaders(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=opaque");

  private OpenTelemetrySdk sdk;
  private Tracing on;
  private HopTimers hops;

  /** Takes the spans the way an exporter would, and drops them (no network in a micro-benchmark). */
  private static final class Discard implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(new Discard()).build()).build()).build();
    on = Tracing.of(sdk);
    hops = new HopTimers(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sdk.shutdown().join(5, TimeUnit.SECONDS);
  }

  /** The spans of one request as edge, router and connector make them, all in one thread. */
  private static TraceContext request(Tracing tracing, TraceContext client) {
    Span server = tracing.start("POST /v1/chat/completions", SpanKind.SERVER, client);
    Span admission = tracing.start("admission", SpanKind.INTERNAL, server);
    Tracing.end(admission, null);
    Span routing = tracing.start("routing", SpanKind.CLIENT, server);
    TraceContext toRouter = Tracing.onward(routing, client);
    Span attempt = tracing.start("attempt", SpanKind.CLIENT, toRouter);
    TraceContext toConnector = Tracing.onward(attempt, toRouter);
    Span upstream = tracing.start("upstream", SpanKind.CLIENT, toConnector);
    TraceContext toUpstream = Tracing.onward(upstream, toConnector);
    Tracing.end(attempt, null);
    Tracing.end(routing, null);
    Span stream = tracing.start("stream", SpanKind.INTERNAL, toConnector);
    Tracing.end(upstream, null);
    Tracing.end(stream, null);
    Tracing.end(server, null);
    return toUpstream;
  }

  @Benchmark
  public TraceContext requestTracingOffNoTraceparent() {
    return request(Tracing.OFF, null);
  }

  @Benchmark
  public String requestTracingOffWithTraceparent() {
    TraceContext client = TraceContext.fromHeaders(CLIENT.traceparent(), CLIENT.tracestate());
    return request(Tracing.OFF, client).traceparent() + client.traceId();
  }

  @Benchmark
  public TraceContext requestTracingOn() {
    return request(on, CLIENT);
  }

  @Benchmark
  public long hopRecorded() {
    long sent = HopClock.now() - 150_000;
    hops.received(HopTimers.Hop.CHUNK, sent);
    return sent;
  }
}
