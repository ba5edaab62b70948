package io.tollgate.connector;

import io.tollgate.api.config.EgressPolicy;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of one {@link ConnectorVerticle} instance. Numeric settings can be read from the
 * launcher's JSON config ({@code http_pool_size}, {@code http_pool_queue}, {@code http2},
 * {@code http2_pool_size}, {@code upstream_ca_file}, {@code ack_interval_ms}, {@code ack_timeout_ms},
 * {@code max_error_body_bytes}, {@code max_response_body_bytes}, {@code providers}); the
 * environment lookup is code-only so tests can inject credentials.
 */
public final class ConnectorOptions {

  /** Upstream connections per verticle instance and host (HTTP/1.1 keep-alive pool). */
  public static final int DEFAULT_HTTP_POOL_SIZE = 128;

  /**
   * Calls that may wait for a free connection per verticle instance and host once the pool is in
   * use; beyond that a call fails at once with {@code upstream_pool_exhausted} (503) instead of
   * queueing without bound. A waiting call also gives up after its deployment's {@code connect_ms}.
   */
  public static final int DEFAULT_HTTP_POOL_QUEUE = 1024;

  /**
   * HTTP/2 connections per verticle instance and host, each multiplexing as many calls as the
   * upstream allows (usually 100 or more): HTTPS upstreams that offer h2 in ALPN get it.
   */
  public static final int DEFAULT_HTTP2_POOL_SIZE = 2;

  /** Whether HTTPS upstreams are offered HTTP/2 (ALPN); plain-HTTP upstreams always get HTTP/1.1. */
  public static final boolean DEFAULT_HTTP2 = true;

  /**
   * At most one chunk per this interval is sent with request-reply so a dead edge is noticed;
   * the others are plain sends.
   */
  public static final long DEFAULT_ACK_INTERVAL_MS = 1_000;

  /** How long an acknowledged chunk may wait for the edge's ack before the edge counts as gone. */
  public static final long DEFAULT_ACK_TIMEOUT_MS = 10_000;

  /**
   * An upstream error body is read up to this many bytes, only to log why the upstream refused; a
   * real provider error is a few hundred bytes, a proxy's HTML error page a few KiB.
   */
  public static final int DEFAULT_MAX_ERROR_BODY_BYTES = 64 * 1024;

  /**
   * A whole (non-streaming) upstream completion is read up to this many bytes, else the call fails
   * with UPSTREAM_ERROR. 16 MiB holds a 128k-token completion several times over (about 4 bytes a
   * token, doubled by JSON escaping, times a few choices); logprobs-heavy calls may need more.
   */
  public static final int DEFAULT_MAX_RESPONSE_BODY_BYTES = 16 * 1024 * 1024;

  /** How long the content of a {@code file:} credential is reused before the file is read again. */
  public static final long DEFAULT_FILE_TTL_MS = 10_000;

  /**
   * How long a stored ({@code secret:}) credential is reused; a change of its model drops it at
   * once, this bounds how stale it can get if that event was missed.
   */
  public static final long DEFAULT_SECRET_TTL_MS = 300_000;

  /** How long a connector waits for an admin node to answer a stored-credential request. */
  public static final long DEFAULT_SECRET_TIMEOUT_MS = 5_000;

  /** Providers a connector hosts unless told otherwise. */
  public static final List<String> DEFAULT_PROVIDERS = List.of("openai", "anthropic", "azure-openai", "gemini",
      "vertex", "cohere", "mock");

  private int httpPoolSize = DEFAULT_HTTP_POOL_SIZE;
  private int httpPoolQueue = DEFAULT_HTTP_POOL_QUEUE;
  private int http2PoolSize = DEFAULT_HTTP2_POOL_SIZE;
  private boolean http2 = DEFAULT_HTTP2;
  private io.vertx.core.net.TrustOptions upstreamTrust;
  private long ackIntervalMs = DEFAULT_ACK_INTERVAL_MS;
  private long ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS;
  private int maxErrorBodyBytes = DEFAULT_MAX_ERROR_BODY_BYTES;
  private int maxResponseBodyBytes = DEFAULT_MAX_RESPONSE_BODY_BYTES;
  private List<String> providers = DEFAULT_PROVIDERS;
  private long fileTtlMs = DEFAULT_FILE_TTL_MS;
  private long secretTtlMs = DEFAULT_SECRET_TTL_MS;
  private long secretTimeoutMs = DEFAULT_SECRET_TIMEOUT_MS;
  private Function<String, String> environment = System::getenv;
  /** Where upstream metrics go; null (the default) records none. */
  private io.micrometer.core.instrument.MeterRegistry meterRegistry;
  private EgressPolicy egress = EgressPolicy.DEFAULTS;
  /** The node's tracer; {@link io.tollgate.api.trace.Tracing#OFF} (the default) makes no spans. */
  private io.tollgate.api.trace.Tracing tracing = io.tollgate.api.trace.Tracing.OFF;

  public ConnectorOptions() {
  }

  public ConnectorOptions(JsonObject json) {
    setHttpPoolSize(json.getInteger("http_pool_size", DEFAULT_HTTP_POOL_SIZE));
    setHttpPoolQueue(json.getInteger("http_pool_queue", DEFAULT_HTTP_POOL_QUEUE));
    setHttp2PoolSize(json.getInteger("http2_pool_size", DEFAULT_HTTP2_POOL_SIZE));
    http2 = json.getBoolean("http2", DEFAULT_HTTP2);
    String ca = json.getString("upstream_ca_file");
    if (ca != null && !ca.isBlank()) {
      upstreamTrust = new io.vertx.core.net.PemTrustOptions().addCertPath(ca);
    }
    ackIntervalMs = json.getLong("ack_interval_ms", DEFAULT_ACK_INTERVAL_MS);
    ackTimeoutMs = json.getLong("ack_timeout_ms", DEFAULT_ACK_TIMEOUT_MS);
    setMaxErrorBodyBytes(json.getInteger("max_error_body_bytes", DEFAULT_MAX_ERROR_BODY_BYTES));
    setMaxResponseBodyBytes(json.getInteger("max_response_body_bytes", DEFAULT_MAX_RESPONSE_BODY_BYTES));
    fileTtlMs = json.getLong("file_ttl_ms", DEFAULT_FILE_TTL_MS);
    secretTtlMs = json.getLong("secret_ttl_ms", DEFAULT_SECRET_TTL_MS);
    secretTimeoutMs = json.getLong("secret_timeout_ms", DEFAULT_SECRET_TIMEOUT_MS);
    if (json.getJsonArray("providers") != null) {
      providers = json.getJsonArray("providers").stream().map(String::valueOf).toList();
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("http_pool_size", httpPoolSize)
        .put("http_pool_queue", httpPoolQueue)
        .put("http2_pool_size", http2PoolSize)
        .put("http2", http2)
        .put("ack_interval_ms", ackIntervalMs)
        .put("ack_timeout_ms", ackTimeoutMs)
        .put("max_error_body_bytes", maxErrorBodyBytes)
        .put("max_response_body_bytes", maxResponseBodyBytes)
        .put("file_ttl_ms", fileTtlMs)
        .put("secret_ttl_ms", secretTtlMs)
        .put("secret_timeout_ms", secretTimeoutMs)
        .put("providers", providers);
  }

  public int getHttpPoolSize() {
    return httpPoolSize;
  }

  public ConnectorOptions setHttpPoolSize(int httpPoolSize) {
    if (httpPoolSize < 1) {
      throw new IllegalArgumentException("http_pool_size must be >= 1");
    }
    this.httpPoolSize = httpPoolSize;
    return this;
  }

  public int getHttpPoolQueue() {
    return httpPoolQueue;
  }

  public ConnectorOptions setHttpPoolQueue(int httpPoolQueue) {
    if (httpPoolQueue < 0) {
      throw new IllegalArgumentException("http_pool_queue must be >= 0");
    }
    this.httpPoolQueue = httpPoolQueue;
    return this;
  }

  public int getHttp2PoolSize() {
    return http2PoolSize;
  }

  public ConnectorOptions setHttp2PoolSize(int http2PoolSize) {
    if (http2PoolSize < 1) {
      throw new IllegalArgumentException("http2_pool_size must be >= 1");
    }
    this.http2PoolSize = http2PoolSize;
    return this;
  }

  public boolean isHttp2() {
    return http2;
  }

  public ConnectorOptions setHttp2(boolean http2) {
    this.http2 = http2;
    return this;
  }

  /** Extra CAs for HTTPS upstreams (a private CA in front of a local vLLM); null: the JVM's trust store. */
  public io.vertx.core.net.TrustOptions getUpstreamTrust() {
    return upstreamTrust;
  }

  public ConnectorOptions setUpstreamTrust(io.vertx.core.net.TrustOptions upstreamTrust) {
    this.upstreamTrust = upstreamTrust;
    return this;
  }

  public long getAckIntervalMs() {
    return ackIntervalMs;
  }

  public ConnectorOptions setAckIntervalMs(long ackIntervalMs) {
    this.ackIntervalMs = Math.max(0, ackIntervalMs);
    return this;
  }

  public long getAckTimeoutMs() {
    return ackTimeoutMs;
  }

  public ConnectorOptions setAckTimeoutMs(long ackTimeoutMs) {
    if (ackTimeoutMs < 1) {
      throw new IllegalArgumentException("ack_timeout_ms must be >= 1");
    }
    this.ackTimeoutMs = ackTimeoutMs;
    return this;
  }

  public int getMaxErrorBodyBytes() {
    return maxErrorBodyBytes;
  }

  public ConnectorOptions setMaxErrorBodyBytes(int maxErrorBodyBytes) {
    if (maxErrorBodyBytes < 1) {
      throw new IllegalArgumentException("max_error_body_bytes must be >= 1");
    }
    this.maxErrorBodyBytes = maxErrorBodyBytes;
    return this;
  }

  public int getMaxResponseBodyBytes() {
    return maxResponseBodyBytes;
  }

  public ConnectorOptions setMaxResponseBodyBytes(int maxResponseBodyBytes) {
    if (maxResponseBodyBytes < 1) {
      throw new IllegalArgumentException("max_response_body_bytes must be >= 1");
    }
    this.maxResponseBodyBytes = maxResponseBodyBytes;
    return this;
  }

  public long getFileTtlMs() {
    return fileTtlMs;
  }

  public ConnectorOptions setFileTtlMs(long fileTtlMs) {
    this.fileTtlMs = Math.max(0, fileTtlMs);
    return this;
  }

  public long getSecretTtlMs() {
    return secretTtlMs;
  }

  public ConnectorOptions setSecretTtlMs(long secretTtlMs) {
    this.secretTtlMs = Math.max(0, secretTtlMs);
    return this;
  }

  public long getSecretTimeoutMs() {
    return secretTimeoutMs;
  }

  public ConnectorOptions setSecretTimeoutMs(long secretTimeoutMs) {
    if (secretTimeoutMs < 1) {
      throw new IllegalArgumentException("secret_timeout_ms must be >= 1");
    }
    this.secretTimeoutMs = secretTimeoutMs;
    return this;
  }

  public List<String> getProviders() {
    return providers;
  }

  public ConnectorOptions setProviders(List<String> providers) {
    this.providers = List.copyOf(providers);
    return this;
  }

  /** Resolves {@code ${ENV_VAR}} credential references; {@code System::getenv} by default. */
  public Function<String, String> getEnvironment() {
    return environment;
  }

  public ConnectorOptions setEnvironment(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment);
    return this;
  }

  public io.micrometer.core.instrument.MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  public ConnectorOptions setMeterRegistry(io.micrometer.core.instrument.MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  public io.tollgate.api.trace.Tracing getTracing() {
    return tracing;
  }

  public ConnectorOptions setTracing(io.tollgate.api.trace.Tracing tracing) {
    this.tracing = Objects.requireNonNull(tracing);
    return this;
  }

  /** Where calls may go: checked on each deployment's base_url and again on the connected address. */
  public EgressPolicy getEgress() {
    return egress;
  }

  public ConnectorOptions setEgress(EgressPolicy egress) {
    this.egress = egress == null ? EgressPolicy.DEFAULTS : egress;
    return this;
  }
}
