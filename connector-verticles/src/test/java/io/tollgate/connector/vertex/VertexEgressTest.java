package io.tollgate.connector.vertex;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.EgressPolicy;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.TestCalls;
import io.tollgate.connector.oauth.FakeTokenServer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Vertex AI under an egress allow-list: the default regional host is judged like a base_url")
class VertexEgressTest {

  /** A token grant signs with RSA: the first in a cold JVM under the tests' fuzzing agent took 5 s. */
  static final long COLD_MS = 30_000;

  private FakeTokenServer tokens;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    tokens = FakeTokenServer.start(vertx);
    edge = EdgeHarness.start(vertx);
    ConnectorOptions options = new ConnectorOptions()
        .setEnvironment(Map.of("VERTEX_SA_KEY", tokens.serviceAccountJson("p1"))::get)
        .setEgress(new EgressPolicy(null, null, null, List.of("127.0.0.1")));
    await(vertx.deployVerticle(new ConnectorVerticle(options)));
  }

  @Test
  @DisplayName("with allow_hosts [127.0.0.1] and no base_url, the call to {location}-aiplatform.googleapis.com is refused before connecting")
  void defaultHostRefused() {
    DeploymentConfig d = new DeploymentConfig("dep-vertex", "vertex", null, "${VERTEX_SA_KEY}", "gemini-2.5-flash",
        null, null, new Timeouts(5_000, 10_000, 10_000, 20_000), null, null, null, null, null, null, null, null, null,
        null, null, "europe-west4", null, null, null, null, null);
    UpstreamCall call = TestCalls.call(d, TestCalls.chat(10, null), edge.streamAddress());

    ReplyException failure = (ReplyException) awaitFailure(edge.call("vertex", call), COLD_MS);

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE);
    assertThat(failure.getMessage()).contains("dep-vertex").contains("egress").doesNotContain("googleapis");
    assertThat(tokens.issued()).as("the loopback token endpoint is allowed").isEqualTo(1);
  }
}
