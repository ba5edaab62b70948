package io.tollgate.connector.mock;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Cancels published to a provider's connectors (attempts nobody knows the location of)")
class CancelAddressTest {

  private EdgeHarness edge;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    Codecs.registerAll(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(String requestId, int attempt, long chunkDelayMs) {
    UpstreamCall c = TestCalls.call(TestCalls.mock(new MockOptions(50, chunkDelayMs, 0.0)), TestCalls.chat(null, null),
        edge.streamAddress());
    return new UpstreamCall(requestId, attempt, c.model(), c.deployment(), c.chat(), c.streamAddress(), c.keyId(),
        c.tenantId());
  }

  /** Publishes and waits until the connector's loop handled it (its ping is answered on the same loop, after it). */
  private void publish(Cancel cancel) {
    vertx.eventBus().publish(Addresses.connectorCancel("mock"), cancel);
    await(vertx.eventBus().request(Addresses.connectorPing("mock"), null));
  }

  @Test
  @DisplayName("a cancel that overtakes its call makes the connector refuse the call, not start it")
  void cancelBeforeCall() {
    publish(new Cancel("req-a", 0, "superseded"));
    Throwable refused = awaitFailure(edge.call("mock", call("req-a", 0, 0)));
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(ErrorCode.CANCELLED.wire());

    // Another attempt of the same request is not affected.
    await(edge.call("mock", call("req-a", 1, 0)));
    List<StreamChunk> chunks = await(edge.end("req-a"));
    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
    assertThat(chunks).allSatisfy(c -> assertThat(c.attempt()).isEqualTo(1));
  }

  @Test
  @DisplayName("a cancel for any attempt stops the running call of that request and is remembered for late ones")
  void cancelAnyAttempt() {
    await(edge.call("mock", call("req-b", 3, 20)));
    await(edge.deltas("req-b", 2));
    publish(new Cancel("req-b", Cancel.ANY_ATTEMPT, "edge gave up"));
    StreamChunk end = EdgeHarness.last(await(edge.end("req-b")));
    assertThat(end.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(end.attempt()).isEqualTo(3);
    assertThat(end.deploymentId()).as("END names who produced the usage").isEqualTo("dep-mock");

    Throwable late = awaitFailure(edge.call("mock", call("req-b", 4, 0)));
    assertThat(((ReplyException) late).failureCode()).isEqualTo(ErrorCode.CANCELLED.wire());
  }

  @Test
  @DisplayName("a cancel for another attempt leaves a running call alone")
  void otherAttempt() {
    await(edge.call("mock", call("req-c", 1, 0)));
    publish(new Cancel("req-c", 0, "superseded"));
    assertThat(EdgeHarness.last(await(edge.end("req-c"))).status()).isEqualTo(Outcome.Status.OK);
  }
}
