package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Role;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.usage.CancelReason;
import io.tollgate.api.usage.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The usage event of each way an exchange can end, driven with a fake clock. */
@DisplayName("Edge usage events: one complete record per finished request")
class UsageEventsTest {

  private static final String REQ = "req-u";
  private static final Instant T0 = Instant.parse("2026-11-27T10:15:00Z");
  private static final ApiKey KEY = new ApiKey("key-1", "tn-1", "k", "hash", null, true, null, null, null, 1);
  private static final ModelConfig MODEL = new ModelConfig("gpt", null, null, List.of(
      new DeploymentConfig("primary", "openai", null, null, null, 1, 0, new Timeouts(100, 3_000, 1_000, 0),
          null, new BigDecimal("2.5"), new BigDecimal("10"), new BigDecimal("1.25")),
      new DeploymentConfig("backup", "mock", null, null, null, 1, 1, new Timeouts(100, 3_000, 1_000, 0),
          null, new BigDecimal("0.15"), new BigDecimal("0.6"), null)));
  private static final RouteDecision DECISION = new RouteDecision("priority", "v7", 1.0, "first healthy");

  private long now = 5_000_000_000L;
  private final RecordingChannel client = new RecordingChannel();
  private final List<Exchange> done = new ArrayList<>();
  private final UsageEvents.Arrival arrival = new UsageEvents.Arrival(REQ, T0, now);

  private Exchange exchange(boolean stream) {
    ChatRequest chat = ChatRequest.builder("gpt", List.of(ChatMessage.of(Role.USER, "hi"))).stream(stream).build();
    Exchange.Cancels sink = new Exchange.Cancels() {
      @Override
      public void toConnector(String controlAddress, Cancel cancel) {
      }

      @Override
      public void everywhere(Cancel cancel) {
      }
    };
    return new Exchange(REQ, OpenAiChatFormat.INSTANCE, client, chat, MODEL, sink, () -> now, 500, done::add);
  }

  private void advanceMs(long ms) {
    now += ms * 1_000_000L;
  }

  private UsageEvent eventOf(Exchange x) {
    assertThat(done).containsExactly(x);
    return UsageEvents.finished(arrival, KEY, MODEL, x, T0.plusMillis((now - arrival.nanos()) / 1_000_000), now);
  }

  private static RouteResult failedOverTo(String deployment) {
    List<Attempt> trace = List.of(new Attempt("primary", "openai", ErrorCode.UPSTREAM_ERROR, "502", 40),
        new Attempt(deployment, "mock", null, null, 5));
    return RouteResult.started("gpt", deployment, "mock", "ctl-1", 1, trace, DECISION);
  }

  private static StreamChunk text(long seq, String text) {
    return StreamChunk.delta(REQ, 1, seq, List.of(List.of(ChoiceDelta.text(0, text))));
  }

  private static StreamChunk end(long seq, Usage usage, Outcome.Status status, ErrorCode error) {
    return StreamChunk.end(REQ, 1, seq, List.of(), usage, status, error, null, "backup");
  }

  @Test
  @DisplayName("a streamed answer after a failover carries the END's usage, the exact cost, ttft, the decision and the trace")
  void streamedAfterFailover() {
    Exchange x = exchange(true);
    advanceMs(30);
    x.routed(failedOverTo("backup"));
    advanceMs(20);
    x.chunk(text(0, "hel"));
    advanceMs(50);
    x.chunk(text(1, "lo"));
    Usage usage = new Usage(1_000, 200, 400, 50, false, 0);
    x.chunk(end(2, usage, Outcome.Status.OK, null));

    UsageEvent e = eventOf(x);
    assertThat(e.requestId()).isEqualTo(REQ);
    assertThat(e.startedAt()).isEqualTo(T0);
    assertThat(e.endedAt()).isEqualTo(T0.plusMillis(100));
    assertThat(e.tenantId()).isEqualTo("tn-1");
    assertThat(e.keyId()).isEqualTo("key-1");
    assertThat(e.model()).isEqualTo("gpt");
    assertThat(e.deploymentId()).isEqualTo("backup");
    assertThat(e.provider()).isEqualTo("mock");
    assertThat(e.attempt()).isEqualTo(1);
    assertThat(e.decision()).isEqualTo(DECISION);
    assertThat(e.usage()).isEqualTo(usage);
    assertThat(e.latencyMillis()).isEqualTo(100);
    assertThat(e.ttftMillis()).isEqualTo(50);
    assertThat(e.status()).isEqualTo(Outcome.Status.OK);
    assertThat(e.error()).isNull();
    assertThat(e.side()).isNull();
    assertThat(e.cancelReason()).isNull();
    assertThat(e.trace()).extracting(Attempt::deploymentId).containsExactly("primary", "backup");
    // backup has no cached price: all 1000 prompt tokens at 0.15/M, 200 completion (50 reasoning among them) at 0.6/M
    assertThat(e.costUsd()).isEqualByComparingTo(new BigDecimal("0.00027"));
  }

  @Test
  @DisplayName("a client that leaves is billed for what the connector reported, as cancelled by the client")
  void clientLeft() {
    Exchange x = exchange(true);
    x.routed(failedOverTo("backup"));
    x.chunk(text(0, "partial"));
    x.clientClosed();
    assertThat(done).isEmpty();
    Usage produced = new Usage(10, 3, 0, 0, true);
    x.chunk(end(1, produced, Outcome.Status.CANCELLED, ErrorCode.CANCELLED));

    UsageEvent e = eventOf(x);
    assertThat(e.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(e.cancelReason()).isEqualTo(CancelReason.CLIENT_DISCONNECT);
    assertThat(e.error()).isEqualTo(ErrorCode.CANCELLED);
    assertThat(e.side()).isEqualTo(ErrorCode.Side.CLIENT);
    assertThat(e.usage()).isEqualTo(produced);
    assertThat(e.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000033"));
  }

  @Test
  @DisplayName("a stream the edge gives up on is a gateway timeout with no ttft when nothing came")
  void expired() {
    Exchange x = exchange(false);
    x.routed(failedOverTo("backup"));
    advanceMs(2_000);
    assertThat(x.expired(now)).isTrue();
    x.expire();

    UsageEvent e = eventOf(x);
    assertThat(e.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(e.error()).isEqualTo(ErrorCode.GATEWAY_TIMEOUT);
    assertThat(e.side()).isEqualTo(ErrorCode.Side.GATEWAY);
    assertThat(e.cancelReason()).isEqualTo(CancelReason.TIMEOUT);
    assertThat(e.ttftMillis()).isEqualTo(-1);
    assertThat(e.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  @DisplayName("a request no deployment could serve carries the router's error and the whole trace, with no cost")
  void noDeployment() {
    Exchange x = exchange(false);
    List<Attempt> trace = List.of(new Attempt("primary", "openai", ErrorCode.UPSTREAM_UNREACHABLE, "refused", 3),
        new Attempt("backup", "mock", ErrorCode.UPSTREAM_RATE_LIMITED, "429", 4));
    x.routed(RouteResult.failed("gpt", ErrorCode.NO_DEPLOYMENT_AVAILABLE, "none", trace));

    UsageEvent e = eventOf(x);
    assertThat(e.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(e.error()).isEqualTo(ErrorCode.NO_DEPLOYMENT_AVAILABLE);
    assertThat(e.attempt()).isEqualTo(-1);
    assertThat(e.deploymentId()).isNull();
    assertThat(e.trace()).hasSize(2);
    assertThat(e.costUsd()).isZero();
  }

  @Test
  @DisplayName("a router that cannot be asked gives the edge's own error")
  void routerUnreachable() {
    Exchange x = exchange(false);
    x.routeFailed(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "no router"), false);
    UsageEvent e = eventOf(x);
    assertThat(e.error()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    assertThat(e.side()).isEqualTo(ErrorCode.Side.GATEWAY);
  }

  @Test
  @DisplayName("a refused request is recorded with who asked, no usage and no cost")
  void refused() {
    UsageEvent e = UsageEvents.refused(arrival, KEY, "gpt", ErrorCode.RATE_LIMITED, T0.plusMillis(3), now);
    assertThat(e.keyId()).isEqualTo("key-1");
    assertThat(e.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(e.side()).isEqualTo(ErrorCode.Side.CLIENT);
    assertThat(e.deploymentId()).isNull();
    assertThat(e.usage()).isEqualTo(Usage.ZERO);
    assertThat(e.costUsd()).isZero();
  }
}
