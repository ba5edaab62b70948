package io.tollgate.launcher;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An in-process OTLP/HTTP trace receiver on loopback, as a collector would be: it takes
 * {@code POST /v1/traces} with a protobuf {@code ExportTraceServiceRequest} (what the SDK's OTLP
 * exporter sends by default) and keeps every span it decoded.
 */
final class OtlpReceiver {

  /** One received span, ids in lower-case hex; {@code parentSpanId} empty for a root. */
  record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
                      boolean error, Map<String, String> attributes, Map<String, String> resource) {
  }

  private final List<ReceivedSpan> spans = new ArrayList<>();
  private HttpServer server;

  static OtlpReceiver start(Vertx vertx) {
    OtlpReceiver receiver = new OtlpReceiver();
    receiver.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(receiver::handle);
    receiver.server.listen().await();
    return receiver;
  }

  /** The endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the exporter appends {@code /v1/traces}). */
  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (!req.path().equals("/v1/traces") || !"application/x-protobuf".equals(req.getHeader("content-type"))) {
      req.response().setStatusCode(415).end();
      return;
    }
    req.body().onSuccess(body -> {
      ExportTraceServiceRequest export;
      try {
        export = ExportTraceServiceRequest.parseFrom(body.getBytes());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        req.response().setStatusCode(400).end();
        return;
      }
      add(export);
      req.response().putHeader("content-type", "application/x-protobuf")
          .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
    });
  }

  private synchronized void add(ExportTraceServiceRequest export) {
    for (ResourceSpans rs : export.getResourceSpansList()) {
      Map<String, String> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          spans.add(new ReceivedSpan(hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()), s.getName(),
              s.getKind().name(), s.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode
              .STATUS_CODE_ERROR, attributes(s.getAttributesList()), resource));
        }
      }
    }
    notifyAll();
  }

  /** Waits until the spans received satisfy {@code done}, at most {@code deadlineMs}; returns them. */
  synchronized List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> done, long deadlineMs)
      throws InterruptedException {
    long end = System.currentTimeMillis() + deadlineMs;
    while (!done.test(spans)) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("the spans received within " + deadlineMs + " ms are not complete: " + spans);
      }
      wait(left);
    }
    return List.copyOf(spans);
  }

  synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  void close() {
    server.close().await();
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : list) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), v.hasIntValue() ? Long.toString(v.getIntValue()) : v.hasBoolValue()
          ? Boolean.toString(v.getBoolValue()) : v.getStringValue());
    }
    return out;
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
