package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.edge.metrics.EdgeMetrics;
import io.tollgate.edge.usage.UsageOutbox;
import java.time.Instant;

/**
 * Where an edge instance puts each request's usage, once: the outbox to billing and audit (acked,
 * retried, idempotent per request id) and the node's metrics. Used on the instance's loop.
 */
final class UsageSink {

  private final UsageOutbox outbox;
  private final EdgeMetrics metrics;

  UsageSink(UsageOutbox outbox, EdgeMetrics metrics) {
    this.outbox = outbox;
    this.metrics = metrics;
  }

  /** An exchange ended (answered, failed or cancelled). */
  void finished(UsageEvents.Arrival arrival, ApiKey key, ModelConfig model, Exchange done) {
    UsageEvent event = UsageEvents.finished(arrival, key, model, done, Instant.now(), System.nanoTime());
    if (done.transcript() != null) {
      // Redacted here, before the event reaches the outbox: unredacted text never leaves the edge.
      event = event.withText(done.transcript().redacted());
    }
    outbox.offer(event);
    metrics.request(event);
    access(event);
  }

  /** A request answered from the response cache. */
  void cacheHit(UsageEvents.Arrival arrival, ApiKey key, ModelConfig model) {
    UsageEvent event = UsageEvents.cacheHit(arrival, key, model, Instant.now(), System.nanoTime());
    outbox.offer(event);
    metrics.request(event);
    access(event);
  }

  /**
   * The access-log line: who, what, how it ended, how long, how many tokens. Never prompt text,
   * never a secret (the key's id, not the key). Disabled with the logger's level
   * ({@code TOLLGATE_ACCESS_LOG=off}).
   */
  static void access(UsageEvent e) {
    if (!ACCESS.isInfoEnabled()) {
      return;
    }
    ACCESS.atInfo().addKeyValue("request_id", e.requestId()).addKeyValue("trace_id", e.traceId())
        .addKeyValue("tenant_id", e.tenantId())
        .addKeyValue("key_id", e.keyId()).addKeyValue("model", e.model()).addKeyValue("deployment", e.deploymentId())
        .addKeyValue("status", e.status() == null ? null : e.status().name().toLowerCase(java.util.Locale.ROOT))
        .addKeyValue("error", e.error() == null ? null : e.error().code()).addKeyValue("latency_ms", e.latencyMillis())
        .addKeyValue("ttft_ms", e.ttftMillis()).addKeyValue("prompt_tokens", e.usage().promptTokens())
        .addKeyValue("completion_tokens", e.usage().completionTokens()).addKeyValue("cost_usd", e.costUsd())
        .addKeyValue("attempts", e.trace().size()).addKeyValue("cache_hit", e.cacheHit()).log("access");
  }

  private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("tollgate.access");

  /**
   * A chat request answered before an exchange owned it: audited, with no usage. Only once its key
   * is known: unauthenticated traffic must not be able to crowd the outbox and push out billable
   * events. {@code asked} is the model name the client wrote (it goes to the audit record);
   * {@code model} the configured one, or null, which is all a metric label may carry.
   */
  void refused(UsageEvents.Arrival arrival, ApiKey key, String asked, ModelConfig model, ErrorCode code) {
    if (arrival == null || key == null) {
      return;
    }
    Instant now = Instant.now();
    long nanos = System.nanoTime();
    UsageEvent audited = UsageEvents.refused(arrival, key, asked, code, now, nanos);
    outbox.offer(audited);
    access(audited);
    metrics.request(UsageEvents.refused(arrival, key, model == null ? null : model.name(), code, now, nanos));
  }

  UsageOutbox outbox() {
    return outbox;
  }

  void close() {
    outbox.close();
  }
}
