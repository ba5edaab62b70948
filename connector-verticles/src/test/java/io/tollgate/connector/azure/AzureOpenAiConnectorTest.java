package io.tollgate.connector.azure;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.RecordingUpstream;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The Azure OpenAI connector against a loopback server speaking Azure's chat completions format")
class AzureOpenAiConnectorTest {

  /** Generous: these tests are about mapping, not deadlines, and run on loaded CI machines. */
  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);
  static final String KEY = "0123456789abcdef0123456789abcdef";

  private RecordingUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = RecordingUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(String baseUrl, String apiVersion) {
    DeploymentConfig azure = new DeploymentConfig("dep-azure", "azure-openai", baseUrl, KEY, "gpt-4o prod", null,
        null, TIMEOUTS, null, null, null, null, null, null, apiVersion, null);
    return TestCalls.call(azure, TestCalls.chat(100, null), edge.streamAddress());
  }

  private List<StreamChunk> run(UpstreamCall call) {
    await(edge.call("azure-openai", call));
    return await(edge.end(call.requestId()));
  }

  private static String text(List<StreamChunk> chunks) {
    return EdgeHarness.events(chunks).stream().flatMap(List::stream).map(ChoiceDelta::content)
        .filter(Objects::nonNull).collect(Collectors.joining());
  }

  @Test
  @DisplayName("with an api_version: the deployment URL with api-version, the api-key header, no bearer token")
  void deploymentUrl() {
    upstream.sse("azure/stream-text.sse");

    List<StreamChunk> chunks = run(call(upstream.baseUrl(), "2024-10-21"));

    assertThat(text(chunks)).isEqualTo("Hello, tollgate!");
    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(21, 4, 0, 0, false));
    RecordingUpstream.Received r = upstream.received().get(0);
    assertThat(r.path()).isEqualTo("/openai/deployments/gpt-4o%20prod/chat/completions");
    assertThat(r.query()).isEqualTo("api-version=2024-10-21");
    assertThat(r.headers().get("api-key")).isEqualTo(KEY);
    assertThat(r.headers().contains("Authorization")).isFalse();
    assertThat(r.body().getBoolean("stream")).isTrue();
    assertThat(r.body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  @DisplayName("without an api_version (or with v1): the version-less /openai/v1 route, deployment name as model; a pasted /openai suffix is tolerated")
  void v1Url() {
    upstream.sse("azure/stream-text.sse");
    run(call(upstream.baseUrl() + "/openai/", null));
    run(call(upstream.baseUrl(), "v1"));

    for (RecordingUpstream.Received r : upstream.received()) {
      assertThat(r.path()).isEqualTo("/openai/v1/chat/completions");
      assertThat(r.query()).isNull();
      assertThat(r.body().getString("model")).isEqualTo("gpt-4o prod");
      assertThat(r.headers().get("api-key")).isEqualTo(KEY);
    }
  }

  @Test
  @DisplayName("an answer stopped by the output content filter ends with finish reason content_filter")
  void outputFiltered() {
    upstream.sse("azure/stream-content-filter.sse");

    List<StreamChunk> chunks = run(call(upstream.baseUrl(), "2024-10-21"));

    List<ChoiceDelta> deltas = EdgeHarness.events(chunks).stream().flatMap(List::stream).toList();
    assertThat(deltas.get(deltas.size() - 1).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
  }

  @Test
  @DisplayName("a prompt refused by the content filter is a 400 that says so, not a generic upstream error")
  void promptFiltered() {
    upstream.json(400, "azure/error-content-filter.json");

    ReplyException failure = (ReplyException) awaitFailure(edge.call("azure-openai", call(upstream.baseUrl(), "2024-10-21")));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
    assertThat(failure.getMessage()).contains("content filter").contains("change the prompt");
  }

  @Test
  @DisplayName("Azure's other errors map by status: 429 rate limited, 401 auth, 404 (no such deployment) bad request")
  void errors() {
    String[][] cases = {{"429", "azure/error-429.json", "UPSTREAM_RATE_LIMITED"},
        {"401", "azure/error-401.json", "UPSTREAM_AUTH"}, {"404", "azure/error-404.json", "UPSTREAM_BAD_REQUEST"}};
    for (String[] c : cases) {
      upstream.json(Integer.parseInt(c[0]), c[1]);
      ReplyException failure = (ReplyException) awaitFailure(edge.call("azure-openai", call(upstream.baseUrl(), "2024-10-21")));
      assertThat(ErrorCode.fromWire(failure.failureCode()).name()).as(c[1]).isEqualTo(c[2]);
      assertThat(failure.getMessage()).isEqualTo("upstream answered HTTP " + c[0]);
    }
  }

  @Test
  @DisplayName("a deployment URL without the deployment name fails at once, naming the missing field, without calling upstream")
  void missingDeploymentName() {
    DeploymentConfig nameless = new DeploymentConfig("dep-azure", "azure-openai", upstream.baseUrl(), KEY, null, null,
        null, TIMEOUTS, null, null, null, null, null, null, "2024-10-21", null);

    ReplyException failure = (ReplyException) awaitFailure(edge.call("azure-openai",
        TestCalls.call(nameless, TestCalls.chat(null, null), edge.streamAddress())));

    assertThat(failure.getMessage()).contains("upstream_model");
    assertThat(upstream.received()).isEmpty();
  }
}
