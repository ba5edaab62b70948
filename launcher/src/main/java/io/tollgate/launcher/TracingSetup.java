package io.tollgate.launcher;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.tollgate.api.trace.Tracing;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's tracer, from the standard {@code OTEL_*} variables through the SDK's autoconfigure.
 * Off unless asked for: the SDK is built only when {@code OTEL_TRACES_EXPORTER} names an exporter
 * other than {@code none}, or {@code OTEL_EXPORTER_OTLP_ENDPOINT} /
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set, and {@code OTEL_SDK_DISABLED} is not
 * {@code true}. (The SDK's own default, an OTLP exporter to localhost:4318, would make every node
 * without a collector log export failures.) Tollgate exports traces only: metrics stay on
 * Prometheus and logs on stdout unless {@code OTEL_METRICS_EXPORTER} / {@code OTEL_LOGS_EXPORTER}
 * say otherwise.
 */
final class TracingSetup {

  private static final Logger LOG = LoggerFactory.getLogger(TracingSetup.class);
  static final String DEFAULT_SERVICE_NAME = "tollgate";
  /** How long closing a node waits for the last spans to be exported. */
  static final long DEFAULT_FLUSH_SECONDS = 5;
  /**
   * Variables read through the node's environment function (so tests and embedders can pass their
   * own); autoconfigure reads every other {@code OTEL_*} variable from the process environment itself.
   */
  static final List<String> VARIABLES = List.of("OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
      "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER", "OTEL_TRACES_SAMPLER",
      "OTEL_TRACES_SAMPLER_ARG", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
      "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS",
      "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
      "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_CERTIFICATE",
      "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_MAX_QUEUE_SIZE",
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "OTEL_BSP_EXPORT_TIMEOUT");

  /** The tracer and, when tracing is on, the SDK to shut down with the node. */
  record Telemetry(Tracing tracing, OpenTelemetrySdk sdk) {

    static final Telemetry OFF = new Telemetry(Tracing.OFF, null);

    /** Exports what is left and stops the SDK; blocking, so never on an event loop. */
    void close() {
      if (sdk != null) {
        sdk.shutdown().join(DEFAULT_FLUSH_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private TracingSetup() {
  }

  /** Whether the environment asks for traces (see the class comment). */
  static boolean wanted(Function<String, String> env) {
    if ("true".equalsIgnoreCase(trimmed(env.apply("OTEL_SDK_DISABLED")))) {
      return false;
    }
    String exporter = trimmed(env.apply("OTEL_TRACES_EXPORTER"));
    if (exporter != null) {
      return !exporter.equalsIgnoreCase("none");
    }
    return trimmed(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT")) != null
        || trimmed(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) != null;
  }

  static Telemetry start(Function<String, String> env, Set<Role> roles) {
    if (!wanted(env)) {
      return Telemetry.OFF;
    }
    routeSdkLogging();
    Map<String, String> given = new HashMap<>();
    for (String name : VARIABLES) {
      String value = env.apply(name);
      if (value != null) {
        given.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    }
    OpenTelemetrySdk sdk;
    try {
      sdk = build(given, roles);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("tracing cannot start with these OTEL_* settings: " + rootMessage(e)
          + " (Tollgate exports OTLP over HTTP: OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf, not grpc)", e);
    }
    LOG.info("tracing on: spans exported as configured by the OTEL_* variables (service {})",
        given.getOrDefault("otel.service.name", DEFAULT_SERVICE_NAME));
    return new Telemetry(Tracing.of(sdk), sdk);
  }

  private static OpenTelemetrySdk build(Map<String, String> given, Set<Role> roles) {
    String rolesAttr = roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
        .collect(Collectors.joining(","));
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of("otel.service.name", DEFAULT_SERVICE_NAME,
            "otel.metrics.exporter", "none", "otel.logs.exporter", "none",
            // The SDK's default is gRPC; the exporter here sends OTLP/HTTP with the JDK's client (port 4318).
            "otel.exporter.otlp.protocol", "http/protobuf"))
        .addPropertiesCustomizer(config -> given)
        .addResourceCustomizer((resource, config) -> resource.merge(Resource.create(
            Attributes.builder().put("tollgate.roles", rolesAttr).build())))
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /**
   * The SDK logs through java.util.logging (an unreachable collector, a full queue): send its
   * records to SLF4J, so that they come out in the node's log format instead of JUL's on stderr.
   */
  private static void routeSdkLogging() {
    java.util.logging.Logger sdk = java.util.logging.Logger.getLogger("io.opentelemetry");
    synchronized (TracingSetup.class) {
      for (java.util.logging.Handler h : sdk.getHandlers()) {
        if (h instanceof org.slf4j.bridge.SLF4JBridgeHandler) {
          return;
        }
      }
      sdk.addHandler(new org.slf4j.bridge.SLF4JBridgeHandler());
      sdk.setUseParentHandlers(false);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
