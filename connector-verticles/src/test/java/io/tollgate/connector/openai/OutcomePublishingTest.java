package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Outcomes the connector publishes for the router to learn from")
class OutcomePublishingTest {

  private static final Timeouts SHORT = new Timeouts(1_000, 1_000, 1_000, 10_000);
  private static final RouteDecision DECISION = new RouteDecision("thompson", "v1abc", 0.625, "sampled");

  private FakeUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(DeploymentConfig deployment) {
    UpstreamCall c = TestCalls.call(deployment, TestCalls.chat(null, null), edge.streamAddress());
    return new UpstreamCall(c.requestId(), 2, c.model(), deployment, c.chat(), c.streamAddress(), c.keyId(),
        c.tenantId(), DECISION);
  }

  @Test
  @DisplayName("a failure before the first byte (HTTP 500) publishes an ERROR outcome with the attempt, "
      + "the decision and zero cost")
  void failureBeforeFirstBytePublished() {
    upstream.respond(FakeUpstream.json(500, "error-500.json"));
    UpstreamCall call = call(TestCalls.openai(upstream.baseUrl(), "sk-x", SHORT));

    awaitFailure(edge.call("openai", call));
    Outcome outcome = await(edge.outcome(call.requestId()));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(outcome.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(outcome.attempt()).isEqualTo(2);
    assertThat(outcome.deploymentId()).isEqualTo("dep-openai");
    assertThat(outcome.decision()).isEqualTo(DECISION);
    assertThat(outcome.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(outcome.usage()).isEqualTo(Usage.ZERO);
    assertThat(outcome.ttftMillis()).isEqualTo(-1);
  }

  @Test
  @DisplayName("a completed stream publishes its exact cost at the deployment's prices and the decision")
  void completedStreamPriced() {
    upstream.respond(FakeUpstream.sse("chat-stream.sse", 64, false));
    DeploymentConfig priced = new DeploymentConfig("dep-openai", "openai", upstream.baseUrl(), "sk-x", "gpt-4o-mini",
        null, null, SHORT, null, new BigDecimal("2.50"), new BigDecimal("10"), new BigDecimal("1.25"));
    UpstreamCall call = call(priced);

    await(edge.call("openai", call));
    Outcome outcome = await(edge.outcome(call.requestId()));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.OK);
    assertThat(outcome.decision()).isEqualTo(DECISION);
    // The fixture's usage: 19 prompt tokens of which 3 cached, 8 completion tokens.
    // (16 x 2.50 + 3 x 1.25 + 8 x 10) / 1e6 = 123.75 / 1e6
    assertThat(outcome.costUsd()).isEqualByComparingTo(new BigDecimal("0.00012375"));
  }
}
