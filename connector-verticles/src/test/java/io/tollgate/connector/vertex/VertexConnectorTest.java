package io.tollgate.connector.vertex;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.Credentials;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.LogCapture;
import io.tollgate.connector.RecordingUpstream;
import io.tollgate.connector.TestCalls;
import io.tollgate.connector.oauth.FakeTokenServer;
import io.tollgate.connector.oauth.ServiceAccountKey;
import io.tollgate.connector.oauth.TokenCache;
import io.tollgate.connector.oauth.TokenClient;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The Vertex AI connector: a loopback Vertex endpoint and a loopback token endpoint that checks the signed JWT")
class VertexConnectorTest {

  /** A token grant signs with RSA: the first in a cold JVM under the tests' fuzzing agent took 5 s. */
  static final long COLD_MS = 30_000;

  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private RecordingUpstream vertex;
  private FakeTokenServer tokens;
  private EdgeHarness edge;
  private String keyJson;
  private Credentials credentials;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    vertex = RecordingUpstream.start(vertx);
    tokens = FakeTokenServer.start(vertx);
    edge = EdgeHarness.start(vertx);
    keyJson = tokens.serviceAccountJson("proj-from-key");
    ConnectorOptions options = new ConnectorOptions().setEnvironment(Map.of("VERTEX_SA_KEY", keyJson)::get);
    credentials = new Credentials(vertx, options, clock::get);
    await(credentials.start());
    await(vertx.deployVerticle(new ConnectorVerticle(options, null, credentials)));
  }

  private DeploymentConfig deployment(String project, String location) {
    return new DeploymentConfig("dep-vertex", "vertex", vertex.baseUrl() + "/", "${VERTEX_SA_KEY}",
        "gemini-2.5-flash", null, null, TIMEOUTS, null, null, null, null, null, null, null, null, null, null,
        project, location, null, null, null, null, null);
  }

  private UpstreamCall call(DeploymentConfig deployment) {
    return TestCalls.call(deployment, TestCalls.chat(100, null), edge.streamAddress());
  }

  private List<StreamChunk> run(UpstreamCall call) {
    await(edge.call("vertex", call), COLD_MS);
    return await(edge.end(call.requestId()));
  }

  private static String text(List<StreamChunk> chunks) {
    return EdgeHarness.events(chunks).stream().flatMap(List::stream).map(ChoiceDelta::content)
        .filter(Objects::nonNull).collect(Collectors.joining());
  }

  @Test
  @DisplayName("trades the key for a token (JWT signed with the key, verified by the token endpoint) and streams Gemini from the regional path")
  void streams() {
    vertex.sse("gemini/stream-text.sse");

    List<StreamChunk> chunks = run(call(deployment("proj-1", "europe-west4")));

    assertThat(text(chunks)).isEqualTo("Hello, tollgate! ☃");
    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(12, 31, 4, 25, false));
    RecordingUpstream.Received r = vertex.received().get(0);
    assertThat(r.path()).isEqualTo("/v1/projects/proj-1/locations/europe-west4/publishers/google/models/"
        + "gemini-2.5-flash:streamGenerateContent");
    assertThat(r.query()).isEqualTo("alt=sse");
    assertThat(r.headers().get("Authorization")).isEqualTo("Bearer tok-1");
    assertThat(r.headers().contains("x-goog-api-key")).isFalse();
    assertThat(r.body().getJsonArray("contents").getJsonObject(0).getString("role")).isEqualTo("user");

    FakeTokenServer.Grant grant = tokens.grants().get(0);
    assertThat(grant.form().get("grant_type")).isEqualTo(ServiceAccountKey.GRANT_TYPE);
    assertThat(grant.jwtHeader().getString("kid")).isEqualTo("kid-1");
    assertThat(grant.claims().getString("scope")).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
    assertThat(grant.claims().getLong("iat")).as("issued on the connector's clock").isEqualTo(clock.get() / 1000);
    assertThat(grant.claims().getLong("exp")).isEqualTo(clock.get() / 1000 + 3600);
  }

  @Test
  @DisplayName("later calls reuse the cached token; concurrent first calls share one token request")
  void cachedAndSingleFlight() {
    vertex.sse("gemini/stream-text.sse");
    UpstreamCall a = call(deployment("proj-1", null));
    UpstreamCall b = call(deployment("proj-1", null));
    await(io.vertx.core.Future.all(edge.call("vertex", a), edge.call("vertex", b)), COLD_MS);
    await(edge.end(a.requestId()));
    await(edge.end(b.requestId()));
    run(call(deployment("proj-1", null)));

    assertThat(tokens.issued()).isEqualTo(1);
    assertThat(vertex.received()).extracting(x -> x.headers().get("Authorization")).containsOnly("Bearer tok-1");
    assertThat(vertex.received().get(0).path()).as("the default location")
        .startsWith("/v1/projects/proj-1/locations/us-central1/");
  }

  @Test
  @DisplayName("a token past its expiry on the connector's clock is refreshed before the next call; one close to expiry is refreshed in the background")
  void refreshOnExpiry() {
    vertex.sse("gemini/stream-text.sse");
    run(call(deployment("proj-1", null)));
    clock.addAndGet(3_600_000);

    run(call(deployment("proj-1", null)));

    assertThat(tokens.issued()).isEqualTo(2);
    assertThat(vertex.received().get(1).headers().get("Authorization")).isEqualTo("Bearer tok-2");
    assertThat(tokens.grants().get(1).claims().getLong("iat")).isEqualTo(clock.get() / 1000);

    clock.addAndGet(3_600_000 - 60_000); // a minute left: still valid, due for refresh
    run(call(deployment("proj-1", null)));
    assertThat(vertex.received().get(2).headers().get("Authorization")).as("the valid token is not held back")
        .isEqualTo("Bearer tok-2");
    await(credentials.tokens().whenIdle());
    assertThat(tokens.issued()).as("one background refresh").isEqualTo(3);
    run(call(deployment("proj-1", null)));
    assertThat(vertex.received().get(3).headers().get("Authorization")).isEqualTo("Bearer tok-3");
  }

  @Test
  @DisplayName("without a project the key file's project_id is used")
  void projectFromKey() {
    vertex.sse("gemini/stream-text.sse");
    run(call(deployment(null, "global")));
    assertThat(vertex.received().get(0).path())
        .startsWith("/v1/projects/proj-from-key/locations/global/publishers/google/models/gemini-2.5-flash:");
  }

  @Test
  @DisplayName("a token endpoint that refuses the key fails the call as upstream_auth_failed; Vertex is not called and no key material is logged")
  void tokenRefused() {
    tokens.failWith(400);
    try (LogCapture client = LogCapture.of(TokenClient.class); LogCapture cache = LogCapture.of(TokenCache.class)) {
      ReplyException failure = (ReplyException) awaitFailure(edge.call("vertex", call(deployment("proj-1", null))),
          COLD_MS);
      assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_AUTH);
      assertThat(failure.getMessage()).contains("token endpoint").contains("invalid_grant");
      String logged = String.join("\n", client.lines()) + String.join("\n", cache.lines());
      assertThat(logged).contains("dep-vertex").contains("invalid_grant").doesNotContain("PRIVATE KEY")
          .doesNotContain("eyJ");
    }
    assertThat(vertex.received()).isEmpty();
  }

  @Test
  @DisplayName("a 401 from Vertex drops the cached token: the next call gets a new one")
  void unauthorizedDropsToken() {
    vertex.json(401, "gemini/error-403.json");
    ReplyException failure = (ReplyException) awaitFailure(edge.call("vertex", call(deployment("proj-1", null))),
        COLD_MS);
    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_AUTH);

    vertex.sse("gemini/stream-text.sse");
    run(call(deployment("proj-1", null)));
    assertThat(vertex.received().get(1).headers().get("Authorization")).isEqualTo("Bearer tok-2");
  }

  @Test
  @DisplayName("a credential that is not a service-account key is upstream_auth_failed naming the deployment, never quoting it")
  void notAKey(Vertx vertx) {
    DeploymentConfig d = new DeploymentConfig("dep-bad", "vertex", vertex.baseUrl(), "not-json-sk-secret",
        "gemini-2.5-flash", null, null, TIMEOUTS, null, null, null, null, null, null, null, null, null, null,
        "proj-1", null, null, null, null, null, null);
    ReplyException failure = (ReplyException) awaitFailure(edge.call("vertex", call(d)), COLD_MS);
    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_AUTH);
    assertThat(failure.getMessage()).contains("dep-bad").contains("not JSON").doesNotContain("sk-secret");
    assertThat(tokens.issued()).isZero();
  }

  @Test
  @DisplayName("the token endpoint is under the egress policy too: a token_uri on a link-local address is refused before connecting")
  void tokenEgress() {
    DeploymentConfig d = new DeploymentConfig("dep-vertex", "vertex", vertex.baseUrl(), "${VERTEX_SA_KEY}",
        "gemini-2.5-flash", null, null, TIMEOUTS, null, null, null, null, null, null, null, null, null, null,
        "proj-1", null, null, null, "http://169.254.169.254/token", null, null);
    ReplyException failure = (ReplyException) awaitFailure(edge.call("vertex", call(d)), COLD_MS);
    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_UNREACHABLE);
    assertThat(failure.getMessage()).contains("egress");
    assertThat(new JsonObject(keyJson).getString("token_uri")).isEqualTo(tokens.tokenUrl());
  }
}
