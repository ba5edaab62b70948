package io.tollgate.connector.mock;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.MockOptions;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The built-in mock provider")
class MockConnectorTest {

  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(MockOptions mock, Integer maxTokens, Integer n) {
    return TestCalls.call(TestCalls.mock(mock), TestCalls.chat(maxTokens, n), edge.streamAddress());
  }

  private static String text(List<StreamChunk> chunks, int index) {
    return chunks.stream().flatMap(c -> c.events().stream().flatMap(List::stream)).filter(d -> d.index() == index)
        .map(ChoiceDelta::content).filter(s -> s != null).collect(Collectors.joining());
  }

  @Test
  @DisplayName("answers with the deterministic word sequence, one token per event, then stop and exact usage")
  void deterministicReply() {
    UpstreamCall call = call(new MockOptions(6, 0L, 0.0), null, null);

    CallStarted started = await(edge.call("mock", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertThat(started.deploymentId()).isEqualTo("dep-mock");
    EdgeHarness.assertGapless(chunks);
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events).as("6 tokens, finish").hasSize(7).allSatisfy(e -> assertThat(e).hasSize(1));
    assertThat(events.subList(0, 6)).as("one token per event")
        .allSatisfy(e -> assertThat(e.get(0).content()).isNotEmpty());
    assertThat(text(chunks, 0)).isEqualTo("Tollgate mock reply 0 1 2").isEqualTo(MockText.reply(6));
    assertThat(events.get(0).get(0).role()).isEqualTo("assistant");
    assertThat(events.get(1).get(0).role()).isNull();
    assertThat(events.get(6).get(0).finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(events.get(6).get(0).content()).isNull();
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(TestCalls.ESTIMATED_PROMPT_TOKENS, 6, 0, 0, false));
    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.provider()).isEqualTo("mock");
    assertThat(outcome.ttftMillis()).isGreaterThanOrEqualTo(0);
  }

  @Test
  @DisplayName("stops at max_tokens with finish_reason length")
  void honoursMaxTokens() {
    UpstreamCall call = call(new MockOptions(10, 0L, 0.0), 3, null);

    await(edge.call("mock", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    assertThat(text(chunks, 0)).isEqualTo("Tollgate mock reply");
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events).as("3 tokens, finish").hasSize(4);
    assertThat(events.get(3).get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(EdgeHarness.last(chunks).usage().completionTokens()).isEqualTo(3);
  }

  @Test
  @DisplayName("emits every choice index when n > 1 and counts tokens of all choices")
  void severalChoices() {
    UpstreamCall call = call(new MockOptions(4, 0L, 0.0), null, 2);

    await(edge.call("mock", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertThat(text(chunks, 0)).isEqualTo(MockText.reply(4));
    assertThat(text(chunks, 1)).isEqualTo(MockText.reply(4));
    assertThat(EdgeHarness.last(chunks).usage().completionTokens()).isEqualTo(8);
  }

  @Test
  @DisplayName("with failure_rate 1.0 fails before the first byte like an upstream 500")
  void alwaysFails() {
    ReplyException failure = (ReplyException) awaitFailure(edge.call("mock", call(new MockOptions(4, 0L, 1.0), null, null)));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_ERROR.wire());
    assertThat(failure.getMessage()).isEqualTo("mock upstream failure (simulated 500)");
  }

  @Test
  @DisplayName("a cancel stops it at once and END CANCELLED carries the tokens so far")
  void cancel(Vertx vertx) {
    UpstreamCall call = call(new MockOptions(1_000, 10L, 0.0), null, null);
    CallStarted started = await(edge.call("mock", call));
    await(edge.deltas(call.requestId(), 3));

    vertx.eventBus().send(started.controlAddress(), new Cancel(call.requestId(), call.attempt(), "client disconnected"));

    List<StreamChunk> chunks = await(edge.end(call.requestId()));
    EdgeHarness.assertGapless(chunks);
    StreamChunk end = EdgeHarness.last(chunks);
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events).as("token events only, no finish").hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(e -> assertThat(e.get(0).finishReason()).isNull());
    assertThat(end.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(end.usage().completionTokens()).isEqualTo(events.size()).isLessThan(1_000);
    assertThat(end.usage().promptTokens()).isEqualTo(TestCalls.ESTIMATED_PROMPT_TOKENS);
  }

  @Test
  @DisplayName("streams a long answer without a delay while the event loop keeps serving other messages")
  void longAnswerDoesNotBlockTheLoop(Vertx vertx) {
    AtomicInteger sent = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().body() instanceof StreamChunk) {
        sent.incrementAndGet();
      }
      ctx.next();
    });
    UpstreamCall call = call(new MockOptions(5_000, 0L, 0.0), null, null);

    await(edge.call("mock", call));
    // The connector's loop answers a ping before the stream is over, because it yields between bursts.
    await(vertx.eventBus().request(Addresses.connectorPing("mock"), null));
    int sentWhenPinged = sent.get();
    List<StreamChunk> chunks = await(edge.end(call.requestId()), 10_000);

    EdgeHarness.assertGapless(chunks);
    List<List<ChoiceDelta>> events = EdgeHarness.events(chunks);
    assertThat(events).as("5,000 tokens, finish").hasSize(5_001);
    assertThat(text(chunks, 0)).isEqualTo(MockText.reply(5_000));
    assertThat(events.get(5_000).get(0).finishReason()).isEqualTo(FinishReason.STOP);
    // A message batches one event-loop turn, so a message with more than a burst would mean no yield.
    assertThat(chunks).as("several messages, none with more than one burst (+ finish)")
        .hasSizeGreaterThan(1).allSatisfy(c -> assertThat(c.events()).hasSizeLessThanOrEqualTo(MockStream.BURST + 1));
    assertThat(sentWhenPinged).as("messages sent when the ping was answered").isLessThan(chunks.size());
    assertThat(EdgeHarness.last(chunks).usage().completionTokens()).isEqualTo(5_000);
  }
}
