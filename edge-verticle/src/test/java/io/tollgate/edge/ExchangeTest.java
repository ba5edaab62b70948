package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Role;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.routing.RouteDecision;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The edge's exchange state machine and stream reordering, driven directly with a fake clock: no
 * event bus, no sockets, no sleeps. Each case is one way a stream can arrive or fail to.
 */
@DisplayName("Edge exchange: ordering, attempts, deadlines and cancellation")
class ExchangeTest {

  private static final String REQ = "req-1";
  private static final long IDLE_MS = 1_000;
  private static final long FIRST_BYTE_MS = 3_000;
  private static final long MARGIN_MS = 500;
  private static final ModelConfig MODEL = new ModelConfig("gpt", null, null, List.of(
      new DeploymentConfig("primary", "openai", null, null, null, 1, 0, new Timeouts(100, FIRST_BYTE_MS, IDLE_MS, 0),
          null, null, null, null),
      new DeploymentConfig("backup", "mock", null, null, null, 1, 1, new Timeouts(100, FIRST_BYTE_MS, IDLE_MS, 0),
          null, null, null, null)));
  private static final Usage USAGE = new Usage(11, 3, 0, 0, false);

  private long now = 1_000_000_000L;
  private final RecordingChannel client = new RecordingChannel();
  private final List<String> cancelsTo = new ArrayList<>();
  private final List<Cancel> cancels = new ArrayList<>();
  private final List<Cancel> broadcasts = new ArrayList<>();
  private final List<Exchange> done = new ArrayList<>();

  private Exchange exchange(boolean stream) {
    ChatRequest chat = ChatRequest.builder("gpt", List.of(ChatMessage.of(Role.USER, "hi"))).stream(stream).build();
    Exchange.Cancels sink = new Exchange.Cancels() {
      @Override
      public void toConnector(String controlAddress, Cancel cancel) {
        cancelsTo.add(controlAddress);
        cancels.add(cancel);
      }

      @Override
      public void everywhere(Cancel cancel) {
        broadcasts.add(cancel);
      }
    };
    return new Exchange(REQ, OpenAiChatFormat.INSTANCE, client, chat, MODEL, sink, () -> now, MARGIN_MS, done::add);
  }

  private void advanceMs(long ms) {
    now += ms * 1_000_000L;
  }

  private static RouteResult started(int attempt, String deployment) {
    List<Attempt> trace = new ArrayList<>();
    for (int i = 0; i < attempt; i++) {
      trace.add(new Attempt("primary", "openai", ErrorCode.UPSTREAM_TIMEOUT, "timeout", 3_100));
    }
    trace.add(new Attempt(deployment, "mock", null, null, 5));
    return RouteResult.started("gpt", deployment, "mock", "ctl-" + attempt, attempt, trace);
  }

  private static StreamChunk text(int attempt, long seq, String text) {
    return StreamChunk.delta(REQ, attempt, seq, List.of(List.of(ChoiceDelta.text(0, text))));
  }

  private static StreamChunk end(int attempt, long seq, String deployment) {
    return StreamChunk.end(REQ, attempt, seq, List.of(List.of(ChoiceDelta.finish(0, FinishReason.STOP))), USAGE,
        Outcome.Status.OK, null, null, deployment);
  }

  @Nested
  @DisplayName("ordering")
  class Ordering {

    @Test
    @DisplayName("messages out of order are written in sequence order, and END only after everything before it")
    void reorder() {
      Exchange x = exchange(true);
      x.routed(started(0, "primary"));
      x.chunk(text(0, 2, "c"));
      x.chunk(end(0, 3, "primary"));
      assertThat(client.streamedText()).isEmpty();
      x.chunk(text(0, 1, "b"));
      assertThat(client.ended).isFalse();
      x.chunk(text(0, 0, "a"));
      assertThat(client.streamedText()).isEqualTo("abc");
      assertThat(client.ended).isTrue();
      assertThat(client.body.toString()).endsWith("data: [DONE]\n\n");
      assertThat(done).containsExactly(x);
      assertThat(x.endUsage()).isEqualTo(USAGE);
    }

    @Test
    @DisplayName("a duplicated message is written once")
    void duplicates() {
      Exchange x = exchange(true);
      x.routed(started(0, "primary"));
      x.chunk(text(0, 0, "a"));
      x.chunk(text(0, 0, "a"));
      x.chunk(text(0, 2, "c"));
      x.chunk(text(0, 2, "c"));
      x.chunk(text(0, 1, "b"));
      x.chunk(end(0, 3, "primary"));
      assertThat(client.streamedText()).isEqualTo("abc");
    }

    @Test
    @DisplayName("messages that arrive before the router's answer wait, then go out in order with the headers first")
    void earlyChunks() {
      Exchange x = exchange(true);
      x.chunk(text(0, 1, "b"));
      x.chunk(text(0, 0, "a"));
      x.chunk(end(0, 2, "primary"));
      assertThat(client.streamStarted).isFalse();
      assertThat(done).isEmpty();
      x.routed(started(0, "primary"));
      assertThat(client.headers).containsEntry("x-tollgate-route", "primary").containsEntry("x-tollgate-attempts", "1");
      assertThat(client.streamedText()).isEqualTo("ab");
      assertThat(client.ended).isTrue();
      assertThat(done).containsExactly(x);
    }

    @Test
    @DisplayName("the answer names the routing policy that chose the deployment")
    void policyHeader() {
      Exchange x = exchange(true);
      RouteResult plain = started(0, "primary");
      x.routed(RouteResult.started(plain.model(), plain.deploymentId(), plain.provider(), plain.controlAddress(),
          plain.attempt(), plain.attempts(), new RouteDecision("thompson", "v1", 0.5, "sampled")));
      assertThat(client.headers).containsEntry("x-tollgate-route", "primary")
          .containsEntry("x-tollgate-policy", "thompson");
    }

    @Test
    @DisplayName("a non-streaming client gets one JSON completion folded from the stream")
    void json() {
      Exchange x = exchange(false);
      x.chunk(text(0, 0, "Hel"));
      x.routed(started(0, "primary"));
      x.chunk(text(0, 1, "lo"));
      x.chunk(end(0, 2, "primary"));
      JsonObject body = new JsonObject(client.json);
      assertThat(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
          .isEqualTo("Hello");
      assertThat(body.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(11);
    }
  }

  @Nested
  @DisplayName("attempts")
  class Attempts {

    @Test
    @DisplayName("of two attempts streaming before the router's answer, only the declared one reaches the client")
    void staleAttemptBeforeRoute() {
      Exchange x = exchange(true);
      assertThat(x.chunk(text(0, 0, "OLD"))).isEqualTo(Exchange.Verdict.CONTINUE);
      x.chunk(text(1, 0, "new"));
      x.chunk(text(0, 1, "OLD"));
      x.routed(started(1, "backup"));
      assertThat(x.chunk(text(0, 2, "OLD"))).as("the old attempt's ack is refused: its connector stops")
          .isEqualTo(Exchange.Verdict.STOP);
      assertThat(x.chunk(text(1, 1, "er"))).isEqualTo(Exchange.Verdict.CONTINUE);
      x.chunk(end(0, 3, "primary"));
      assertThat(client.ended).as("the old attempt's END does not end the answer").isFalse();
      x.chunk(end(1, 2, "backup"));
      assertThat(client.streamedText()).isEqualTo("newer");
      assertThat(x.endDeploymentId()).isEqualTo("backup");
    }
  }

  @Nested
  @DisplayName("deadlines")
  class Deadlines {

    @Test
    @DisplayName("while the router is still failing over, the watchdog does not expire the exchange")
    void noExpiryWhileRouting() {
      Exchange x = exchange(true);
      advanceMs(10 * (IDLE_MS + FIRST_BYTE_MS + MARGIN_MS));
      assertThat(x.expired(now)).isFalse();
      x.routed(started(1, "backup"));
      x.chunk(end(1, 0, "backup"));
      assertThat(client.ended).isTrue();
      assertThat(client.failure).isNull();
    }

    @Test
    @DisplayName("once streaming, no message for the deployment's idle time plus margin ends it with an error event")
    void idleExpiry() {
      Exchange x = exchange(true);
      x.routed(started(0, "primary"));
      x.chunk(text(0, 0, "a"));
      advanceMs(IDLE_MS + MARGIN_MS);
      assertThat(x.expired(now)).isFalse();
      advanceMs(1);
      assertThat(x.expired(now)).isTrue();
      x.expire();
      assertThat(client.body.toString()).contains("\"code\":\"gateway_timeout\"").endsWith("data: [DONE]\n\n");
      assertThat(cancels).extracting(Cancel::attempt).containsExactly(0);
      assertThat(cancelsTo).containsExactly("ctl-0");
      assertThat(done).containsExactly(x);
      assertThat(x.endUsage()).isNull();
      assertThat(x.upstreamRan()).as("the estimate stays charged").isTrue();
    }

    @Test
    @DisplayName("a gap that never fills ends the stream although later messages keep coming")
    void gapNeverFills() {
      Exchange x = exchange(true);
      x.routed(started(0, "primary"));
      x.chunk(text(0, 0, "a"));
      for (int seq = 2; seq < 12; seq++) {
        advanceMs(IDLE_MS / 4);
        x.chunk(text(0, seq, "x"));
      }
      assertThat(x.expired(now)).as("later messages do not count as progress").isTrue();
      x.expire();
      assertThat(client.streamedText()).isEqualTo("a");
      assertThat(client.body.toString()).contains("gateway_timeout", "lost");
    }

    @Test
    @DisplayName("a non-streaming client whose stream went silent gets a 504 envelope")
    void jsonExpiry() {
      Exchange x = exchange(false);
      x.routed(started(0, "primary"));
      advanceMs(IDLE_MS + MARGIN_MS + 1);
      assertThat(x.expired(now)).isTrue();
      x.expire();
      assertThat(client.failure.code()).isEqualTo(ErrorCode.GATEWAY_TIMEOUT);
    }

    @Test
    @DisplayName("the router failing cleanly ends the exchange with its error and the trace; nothing ran, all released")
    void routeError() {
      Exchange x = exchange(true);
      List<Attempt> trace = List.of(new Attempt("primary", "openai", ErrorCode.UPSTREAM_ERROR, "500", 3));
      x.routed(RouteResult.failed("gpt", ErrorCode.UPSTREAM_ERROR, "all failed", trace));
      assertThat(client.failure.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
      assertThat(client.failureAttempts).isEqualTo(trace);
      assertThat(done).containsExactly(x);
      assertThat(x.upstreamRan()).isFalse();
    }
  }

  @Nested
  @DisplayName("late route answers")
  class LateRoute {

    @Test
    @DisplayName("when the router does not answer in time the client gets 504, every connector is told to cancel, "
        + "and the END that still comes settles the real usage")
    void lateEndSettles() {
      Exchange x = exchange(true);
      int[] lingered = {0};
      x.onLinger(() -> lingered[0]++);
      x.routeFailed(new GatewayException(ErrorCode.GATEWAY_TIMEOUT, "no answer"), true);
      assertThat(client.failure.code()).isEqualTo(ErrorCode.GATEWAY_TIMEOUT);
      assertThat(broadcasts).extracting(Cancel::requestId, Cancel::attempt)
          .containsExactly(tuple(REQ, Cancel.ANY_ATTEMPT));
      assertThat(done).as("stays to hear what ran").isEmpty();
      assertThat(lingered[0]).as("the client is answered: its slots can go").isEqualTo(1);
      assertThat(x.chunk(text(2, 0, "late"))).isEqualTo(Exchange.Verdict.STOP);
      x.chunk(end(2, 1, "backup"));
      assertThat(done).containsExactly(x);
      assertThat(x.endUsage()).isEqualTo(USAGE);
      assertThat(x.endDeploymentId()).isEqualTo("backup");
      assertThat(client.streamedText()).as("nothing reaches the client after its 504").isEmpty();
    }

    @Test
    @DisplayName("an END that arrived before the router timed out settles at once")
    void endAlreadyHere() {
      Exchange x = exchange(false);
      x.chunk(text(0, 0, "a"));
      x.chunk(end(0, 1, "primary"));
      x.routeFailed(new GatewayException(ErrorCode.GATEWAY_TIMEOUT, "no answer"), true);
      assertThat(done).containsExactly(x);
      assertThat(x.endUsage()).isEqualTo(USAGE);
    }

    @Test
    @DisplayName("if nothing ever comes, the exchange gives up after the longest wait and releases the reservation")
    void nothingCame() {
      Exchange x = exchange(true);
      x.routeFailed(new GatewayException(ErrorCode.GATEWAY_TIMEOUT, "no answer"), true);
      advanceMs(FIRST_BYTE_MS + MARGIN_MS);
      assertThat(x.expired(now)).isFalse();
      advanceMs(1);
      assertThat(x.expired(now)).isTrue();
      x.expire();
      assertThat(done).containsExactly(x);
      assertThat(x.upstreamRan()).isFalse();
      assertThat(x.endUsage()).isNull();
    }

    @Test
    @DisplayName("a router that was unreachable (no handler) means nothing ran: done at once")
    void unreachableRouter() {
      Exchange x = exchange(true);
      x.routeFailed(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "no router"), false);
      assertThat(done).containsExactly(x);
      assertThat(broadcasts).isEmpty();
      assertThat(client.failure.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }
  }

  @Nested
  @DisplayName("cancellation")
  class Cancellation {

    @Test
    @DisplayName("a client that leaves mid-stream cancels its attempt at its connector; the END still settles")
    void clientLeaves() {
      Exchange x = exchange(true);
      x.routed(started(1, "backup"));
      x.chunk(text(1, 0, "a"));
      client.closedByClient = true;
      x.clientClosed();
      assertThat(cancelsTo).containsExactly("ctl-1");
      assertThat(cancels).extracting(Cancel::attempt).containsExactly(1);
      assertThat(x.chunk(text(1, 1, "b"))).isEqualTo(Exchange.Verdict.STOP);
      assertThat(done).isEmpty();
      x.chunk(StreamChunk.end(REQ, 1, 2, List.of(), new Usage(11, 2, 0, 0, true), Outcome.Status.CANCELLED,
          ErrorCode.CANCELLED, "cancelled", "backup"));
      assertThat(done).containsExactly(x);
      assertThat(x.endUsage().completionTokens()).isEqualTo(2);
    }

    @Test
    @DisplayName("a client that leaves while routing: chunks are refused, and the route answer sends the cancel")
    void clientLeavesWhileRouting() {
      Exchange x = exchange(true);
      client.closedByClient = true;
      x.clientClosed();
      assertThat(x.chunk(text(0, 0, "a"))).isEqualTo(Exchange.Verdict.STOP);
      x.routed(started(0, "primary"));
      assertThat(cancelsTo).containsExactly("ctl-0");
      assertThat(client.streamStarted).isFalse();
    }

    @Test
    @DisplayName("a client that stops reading is dropped after the idle limit and its upstream cancelled")
    void stalledClient() {
      Exchange x = exchange(true);
      x.routed(started(0, "primary"));
      client.queueFull = true;
      x.chunk(text(0, 0, "a"));
      advanceMs(IDLE_MS + MARGIN_MS);
      assertThat(x.stalled(now)).isFalse();
      x.chunk(text(0, 1, "b"));
      advanceMs(1);
      assertThat(x.stalled(now)).as("progress upstream does not excuse a client that reads nothing").isTrue();
      x.abandonStalledClient();
      assertThat(client.wasReset).isTrue();
      assertThat(cancelsTo).containsExactly("ctl-0");
    }

    @Test
    @DisplayName("a client whose queue drains is not stalled")
    void drained() {
      Exchange x = exchange(true);
      x.routed(started(0, "primary"));
      client.queueFull = true;
      x.chunk(text(0, 0, "a"));
      client.queueFull = false;
      client.drain.run();
      advanceMs(10 * IDLE_MS);
      assertThat(x.stalled(now)).isFalse();
    }
  }
}
