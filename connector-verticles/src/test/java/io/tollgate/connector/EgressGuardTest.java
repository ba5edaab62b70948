package io.tollgate.connector;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.EgressPolicy;
import io.tollgate.api.config.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Connectors enforce the egress policy before connecting and on the connected address")
class EgressGuardTest {

  /** Generous: these tests are about mapping, not deadlines, and run on loaded CI machines. */
  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);

  private static DeploymentConfig deployment(String provider, String baseUrl) {
    return new DeploymentConfig("dep-" + provider, provider, baseUrl, "sk-egress-test", "model-x", null, null,
        TIMEOUTS, null, null, null, null);
  }

  private static EdgeHarness start(Vertx vertx, EgressPolicy policy) {
    Codecs.registerAll(vertx);
    EdgeHarness edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setEgress(policy))));
    return edge;
  }

  @Test
  @DisplayName("a metadata base_url is refused at once, naming the deployment but not the address")
  void metadataLiteral(Vertx vertx) {
    EdgeHarness edge = start(vertx, EgressPolicy.DEFAULTS);
    for (String provider : List.of("openai", "gemini", "azure-openai")) {
      UpstreamCall call = TestCalls.call(deployment(provider, "http://169.254.169.254/latest"),
          TestCalls.chat(null, null), edge.streamAddress());

      ReplyException failure = (ReplyException) awaitFailure(edge.call(provider, call));

      assertThat(ErrorCode.fromWire(failure.failureCode())).as(provider).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE);
      assertThat(failure.getMessage()).isEqualTo("deployment dep-" + provider
          + " is refused by the connector's egress policy");
    }
  }

  @Test
  @DisplayName("a name that resolves to a refused range is refused after connecting, before the request is sent")
  void resolvedName(Vertx vertx) {
    RecordingUpstream upstream = RecordingUpstream.start(vertx);
    upstream.sse("gemini/stream-text.sse");
    EdgeHarness edge = start(vertx, new EgressPolicy(null, false, null, null));
    String byName = upstream.baseUrl().replace("127.0.0.1", "localhost");
    for (String provider : List.of("openai", "gemini")) {
      UpstreamCall call = TestCalls.call(deployment(provider, byName), TestCalls.chat(null, null),
          edge.streamAddress());

      ReplyException failure = (ReplyException) awaitFailure(edge.call(provider, call));

      assertThat(ErrorCode.fromWire(failure.failureCode())).as(provider).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE);
      assertThat(failure.getMessage()).contains("egress policy");
    }
    assertThat(upstream.received()).as("no request reached the refused address").isEmpty();
  }

  @Test
  @DisplayName("with the default policy the same loopback upstream is served")
  void loopbackAllowedByDefault(Vertx vertx) {
    RecordingUpstream upstream = RecordingUpstream.start(vertx);
    upstream.sse("gemini/stream-text.sse");
    EdgeHarness edge = start(vertx, EgressPolicy.DEFAULTS);
    UpstreamCall call = TestCalls.call(deployment("gemini", upstream.baseUrl().replace("127.0.0.1", "localhost")),
        TestCalls.chat(null, null), edge.streamAddress());

    await(edge.call("gemini", call));

    assertThat(EdgeHarness.last(await(edge.end(call.requestId()))).status()).isEqualTo(Outcome.Status.OK);
    assertThat(upstream.received()).hasSize(1);
  }
}
