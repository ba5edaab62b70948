package io.tollgate.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.usage.UsageEvent;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's view of every request, recorded once per request on the edge that answered it, from
 * the same usage event that goes to billing: {@code tollgate_requests_total{model,deployment,status}},
 * {@code tollgate_tokens_total{model,deployment,type}}, {@code tollgate_cost_usd_total{model,deployment}},
 * {@code tollgate_time_to_first_token_seconds{model,deployment}}, plus
 * {@code tollgate_overhead_seconds{route}}, {@code tollgate_ratelimit_refusals_total{limit}} and
 * {@code tollgate_inflight_streams}.
 *
 * <p>Labels are low-cardinality by construction: configured model names and deployment ids only
 * (a request for a model that does not exist counts under model "none"), no keys, tenants or ids.
 * One instance serves every edge instance of a node (meters are thread-safe; the caches are
 * concurrent maps).
 */
public final class EdgeMetrics {

  /** Records nothing: edges built without a registry (tests, tools). */
  public static final EdgeMetrics NONE = new EdgeMetrics(null);

  /** Time to first token: from a fast cached answer to a long reasoning pause. */
  static final Duration[] TTFT_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};
  /** Gateway overhead: what the gateway adds is meant to be well under a millisecond. */
  static final Duration[] OVERHEAD_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};
  static final String NONE_LABEL = "none";

  private final MeterRegistry registry;
  private static final java.util.List<String> STATUSES = java.util.List.of("ok", "cancelled", "client_error", "error");
  private final Map<String, PairMeters> pairs = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> overheads = new ConcurrentHashMap<>();
  private final AtomicInteger inflight = new AtomicInteger();
  private final io.tollgate.api.trace.HopTimers hops;

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.hops = new io.tollgate.api.trace.HopTimers(registry);
    if (registry != null) {
      Gauge.builder("tollgate_inflight_streams", inflight, AtomicInteger::get)
          .description("Answers this node is writing right now (streams and JSON answers in progress)")
          .register(registry);
    }
  }

  /** {@code tollgate_eventbus_hop_seconds}: the chunks' hop, connector to edge, is timed here. */
  public io.tollgate.api.trace.HopTimers hops() {
    return hops;
  }

  /** One request ended (answered, failed, refused or cancelled): count it, its tokens and cost, its TTFT. */
  public void request(UsageEvent e) {
    if (registry == null) {
      return;
    }
    String model = e.model() == null ? NONE_LABEL : e.model();
    String deployment = e.deploymentId() == null ? NONE_LABEL : e.deploymentId();
    // One lookup per request: the meters of a (model, deployment) pair are built once.
    PairMeters m = pairs.computeIfAbsent(model + '\u0000' + deployment, k -> new PairMeters(model, deployment));
    m.requests.get(status(e.status(), e.side())).increment();
    Usage u = e.usage();
    if (u != null && u.totalTokens() > 0) {
      add(m.prompt, u.promptTokens());
      add(m.completion, u.completionTokens());
      add(m.cached, u.cachedTokens());
      add(m.reasoning, u.reasoningTokens());
    }
    if (e.costUsd() != null && e.costUsd().signum() > 0) {
      m.cost.increment(e.costUsd().doubleValue());
    }
    if (e.ttftMillis() >= 0 && e.status() != null && e.deploymentId() != null) {
      m.ttft.record(e.ttftMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static void add(Counter c, long n) {
    if (n > 0) {
      c.increment(n);
    }
  }

  /** Every meter of one (model, deployment) pair, registered on first use. */
  private final class PairMeters {
    final Map<String, Counter> requests = new ConcurrentHashMap<>();
    final Counter prompt;
    final Counter completion;
    final Counter cached;
    final Counter reasoning;
    final Counter cost;
    final Timer ttft;

    PairMeters(String model, String deployment) {
      for (String status : STATUSES) {
        requests.put(status, Counter.builder("tollgate_requests").description("Requests by how they ended")
            .tags("model", model, "deployment", deployment, "status", status).register(registry));
      }
      prompt = tokens(model, deployment, "prompt");
      completion = tokens(model, deployment, "completion");
      cached = tokens(model, deployment, "cached");
      reasoning = tokens(model, deployment, "reasoning");
      cost = Counter.builder("tollgate_cost_usd").description("Upstream cost in US dollars, from the deployments' "
          + "prices").tags("model", model, "deployment", deployment).register(registry);
      ttft = Timer.builder("tollgate_time_to_first_token").description("From the request's arrival to its first "
              + "token, as the client sees it").tags("model", model, "deployment", deployment)
          .serviceLevelObjectives(TTFT_BUCKETS).register(registry);
    }

    private Counter tokens(String model, String deployment, String type) {
      return Counter.builder("tollgate_tokens").description("Tokens by type (prompt includes cached)")
          .tags("model", model, "deployment", deployment, "type", type).register(registry);
    }
  }

  /**
   * The gateway's own time in a request: from its arrival to the answer's start, less the upstream's
   * time to its status line; {@code route} is the endpoint (e.g. /v1/chat/completions).
   */
  public void overhead(String route, long nanos) {
    if (registry == null) {
      return;
    }
    overheads.computeIfAbsent(route, k -> Timer.builder("tollgate_overhead")
        .description("Time spent in the gateway until the answer starts, excluding the upstream")
        .tags("route", route).serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry))
        .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** A request refused by a limit: {@code limit} is e.g. rpm, tpm, budget_daily, tokens_monthly, concurrency. */
  public void refusal(String limit) {
    if (registry == null) {
      return;
    }
    counter("tollgate_ratelimit_refusals", "Requests refused by a rate limit, quota, budget or concurrency bound",
        "limit", limit.toLowerCase(Locale.ROOT)).increment();
  }

  public void answerStarted() {
    inflight.incrementAndGet();
  }

  public void answerEnded() {
    inflight.decrementAndGet();
  }

  /** ok, cancelled, client_error (the request's own fault: 4xx), error (the gateway's or the upstream's). */
  static String status(Outcome.Status status, ErrorCode.Side side) {
    if (status == Outcome.Status.OK) {
      return "ok";
    }
    if (status == Outcome.Status.CANCELLED) {
      return "cancelled";
    }
    return side == ErrorCode.Side.CLIENT ? "client_error" : "error";
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + '\u0000' + String.join("\u0000", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
