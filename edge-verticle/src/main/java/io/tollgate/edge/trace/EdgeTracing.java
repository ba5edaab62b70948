package io.tollgate.edge.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.trace.TraceContext;
import io.tollgate.api.trace.Tracing;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The edge's part of a request's trace. With tracing on: a server span per request (child of the
 * client's {@code traceparent} when it sent one), under it {@code admission} and {@code routing}
 * (whose context goes to the router in the {@code RouteRequest}), and a {@code stream} span from
 * the router's answer to the end of the exchange, child of the attempt that started. With tracing
 * off: only the client's {@code traceparent} string is kept (when it sent one) and passed on
 * unparsed, so the upstream still sees the client's trace; no span exists.
 */
public final class EdgeTracing {

  private static final String KEY = "tollgate.trace";
  /** Span names are low-cardinality: the routes the gateway serves, else the method alone. */
  private static final Set<String> ROUTES = Set.of("/v1/chat/completions", "/v1/messages", "/v1/responses",
      "/v1/models", "/v1/messages/count_tokens");

  private final Tracing tracing;

  public EdgeTracing(Tracing tracing) {
    this.tracing = tracing;
  }

  /** One request's trace: the client's context and, with tracing on, the edge's spans. */
  public static final class RequestTrace {
    private final TraceContext client;
    private final Span server;
    private Span routing = Span.getInvalid();
    private Span stream = Span.getInvalid();

    RequestTrace(TraceContext client, Span server) {
      this.client = client;
      this.server = server;
    }

    /** The trace id for the access log and usage event: the edge's trace, else the client's; null: none. */
    public String traceId() {
      if (server.getSpanContext().isValid()) {
        return server.getSpanContext().getTraceId();
      }
      return client == null ? null : client.traceId();
    }
  }

  /**
   * The request's first step: keeps the client's context and, with tracing on, starts the server
   * span, which ends when the response does. Null when there is nothing to keep (tracing off and
   * no {@code traceparent}): the common case costs one header lookup.
   */
  public RequestTrace begin(RoutingContext ctx, String requestId) {
    String traceparent = ctx.request().getHeader(TraceContext.TRACEPARENT);
    if (traceparent == null && !tracing.on()) {
      return null;
    }
    TraceContext client = TraceContext.fromHeaders(traceparent, ctx.request().getHeader(TraceContext.TRACESTATE));
    Span server = Span.getInvalid();
    if (tracing.on()) {
      String path = ctx.request().path();
      String method = ctx.request().method().name();
      server = tracing.start(ROUTES.contains(path) ? method + ' ' + path : method, SpanKind.SERVER, client);
      server.setAttribute("http.request.method", method);
      server.setAttribute("url.path", path);
      server.setAttribute("tollgate.request_id", requestId);
      if (client != null && !server.getSpanContext().getTraceId().equals(client.traceId())) {
        // The client's traceparent could not be read, so the trace starts here: W3C drops its tracestate too.
        client = null;
      }
      Span span = server;
      ctx.addEndHandler(ar -> {
        int status = ctx.response().getStatusCode();
        span.setAttribute("http.response.status_code", status);
        Tracing.end(span, ar.failed() ? "connection_closed" : status >= 500 ? Integer.toString(status) : null);
      });
    }
    RequestTrace trace = new RequestTrace(client, server);
    ctx.put(KEY, trace);
    return trace;
  }

  /** The request's trace, null when it has none. */
  public static RequestTrace of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The admission span (limits, budgets, concurrency slots); invalid with tracing off. */
  public Span admission(RoutingContext ctx) {
    RequestTrace t = of(ctx);
    return t == null ? Span.getInvalid() : tracing.start("admission", SpanKind.INTERNAL, t.server);
  }

  /** Admission ended; {@code failure} null when the request was admitted. */
  public static void admitted(Span admission, Throwable failure) {
    Tracing.end(admission, failure == null ? null : errorOf(failure));
  }

  /**
   * Starts the routing span and says what the {@code RouteRequest} carries: its context with
   * tracing on, the client's as it came with tracing off (null: nothing).
   */
  public TraceContext routing(RequestTrace t, String model) {
    if (t == null) {
      return null;
    }
    if (tracing.on()) {
      t.routing = tracing.start("routing", SpanKind.CLIENT, t.server);
      t.routing.setAttribute("gen_ai.request.model", model);
    }
    return Tracing.onward(t.routing, t.client);
  }

  /** The router answered: routing ends; a started stream's span begins, under the attempt that started. */
  public void routed(RequestTrace t, RouteResult result) {
    if (t == null || !tracing.on()) {
      return;
    }
    Tracing.end(t.routing, result.ok() ? null : result.error().code());
    if (result.ok()) {
      t.stream = result.trace() != null ? tracing.start("stream", SpanKind.INTERNAL, result.trace())
          : tracing.start("stream", SpanKind.INTERNAL, t.routing);
      t.stream.setAttribute("tollgate.deployment", result.deploymentId());
      t.stream.setAttribute("tollgate.attempt", result.attempt());
    }
  }

  /** The router could not be asked or did not answer in time. */
  public static void routeFailed(RequestTrace t, ErrorCode code) {
    if (t != null) {
      Tracing.end(t.routing, code.code());
    }
  }

  /** The exchange ended (the stream span ends with the request); {@code error} null when it went well. */
  public static void finished(RequestTrace t, ErrorCode error, Usage usage) {
    if (t == null || !t.stream.getSpanContext().isValid()) {
      return;
    }
    if (usage != null) {
      t.stream.setAttribute("gen_ai.usage.input_tokens", usage.promptTokens());
      t.stream.setAttribute("gen_ai.usage.output_tokens", usage.completionTokens());
    }
    Tracing.end(t.stream, error == null ? null : error.code());
  }

  private static String errorOf(Throwable failure) {
    return failure instanceof io.tollgate.api.GatewayException g ? g.code().code() : failure.getClass().getSimpleName();
  }
}
