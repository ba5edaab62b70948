package io.tollgate.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.usage.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Edge metrics: one request, its tokens, cost and time to first token, with low-cardinality labels")
class EdgeMetricsTest {

  private static UsageEvent event(String model, String deployment, Outcome.Status status, ErrorCode error,
                                  ErrorCode.Side side, Usage usage, long ttft, String cost) {
    return new UsageEvent("r", Instant.EPOCH, Instant.EPOCH, "t", "k", model, deployment, "openai", 0, null, usage,
        10, ttft, status, error, side, null, List.of(), new BigDecimal(cost));
  }

  @Test
  @DisplayName("an answered request counts once with its tokens by type, its cost and its TTFT")
  void answered() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EdgeMetrics m = new EdgeMetrics(registry);
    m.request(event("gpt", "dep-a", Outcome.Status.OK, null, null, new Usage(100, 20, 40, 5, false), 250,
        "0.0125"));
    assertThat(registry.get("tollgate_requests").tags("model", "gpt", "deployment", "dep-a", "status", "ok")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate_tokens").tags("type", "prompt").counter().count()).isEqualTo(100);
    assertThat(registry.get("tollgate_tokens").tags("type", "completion").counter().count()).isEqualTo(20);
    assertThat(registry.get("tollgate_tokens").tags("type", "cached").counter().count()).isEqualTo(40);
    assertThat(registry.get("tollgate_tokens").tags("type", "reasoning").counter().count()).isEqualTo(5);
    assertThat(registry.get("tollgate_cost_usd").counter().count()).isEqualTo(0.0125);
    assertThat(registry.get("tollgate_time_to_first_token").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
  }

  @Test
  @DisplayName("refusals and client errors are not availability errors; an unknown model is labelled none")
  void statuses() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EdgeMetrics m = new EdgeMetrics(registry);
    m.request(event(null, null, Outcome.Status.ERROR, ErrorCode.MODEL_NOT_FOUND, ErrorCode.Side.CLIENT, Usage.ZERO, -1,
        "0"));
    m.request(event("gpt", "dep-a", Outcome.Status.ERROR, ErrorCode.UPSTREAM_ERROR, ErrorCode.Side.UPSTREAM,
        Usage.ZERO, -1, "0"));
    m.request(event("gpt", "dep-a", Outcome.Status.CANCELLED, ErrorCode.CANCELLED, ErrorCode.Side.CLIENT,
        new Usage(10, 3, 0, 0, true), 90, "0.001"));
    m.refusal("RPM");
    assertThat(registry.get("tollgate_requests").tags("model", "none", "status", "client_error").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("tollgate_requests").tags("model", "gpt", "status", "error").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("tollgate_requests").tags("model", "gpt", "status", "cancelled").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("tollgate_requests").tags("model", "gpt", "status", "ok").counter().count())
        .as("every status of a pair exists from its first request on, at 0: rates work from the start").isZero();
    assertThat(registry.get("tollgate_ratelimit_refusals").tags("limit", "rpm").counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate_time_to_first_token").tags("deployment", "none").timer().count())
        .as("a refusal has no first token").isZero();
  }

  @Test
  @DisplayName("in-flight answers go up and down; NONE records nothing and does not fail")
  void inflight() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EdgeMetrics m = new EdgeMetrics(registry);
    m.answerStarted();
    m.answerStarted();
    m.answerEnded();
    assertThat(registry.get("tollgate_inflight_streams").gauge().value()).isEqualTo(1);
    EdgeMetrics.NONE.request(event("gpt", "d", Outcome.Status.OK, null, null, Usage.ZERO, 1, "0"));
    EdgeMetrics.NONE.overhead("/v1/chat/completions", 1000);
  }

  @Test
  @DisplayName("the overhead header is milliseconds with three decimals")
  void overheadHeader() {
    assertThat(io.tollgate.edge.EdgeVerticleAccess.millis(214_567)).isEqualTo("0.214");
    assertThat(io.tollgate.edge.EdgeVerticleAccess.millis(12_005_000)).isEqualTo("12.005");
    assertThat(io.tollgate.edge.EdgeVerticleAccess.millis(1_050_000)).isEqualTo("1.050");
    assertThat(io.tollgate.edge.EdgeVerticleAccess.millis(0)).isEqualTo("0.000");
  }
}
