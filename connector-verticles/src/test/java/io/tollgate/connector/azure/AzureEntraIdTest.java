package io.tollgate.connector.azure;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.Credentials;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.RecordingUpstream;
import io.tollgate.connector.TestCalls;
import io.tollgate.connector.oauth.EntraIdTokens;
import io.tollgate.connector.oauth.FakeTokenServer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Azure OpenAI with Entra ID: client credentials traded for a bearer token at a loopback token endpoint")
class AzureEntraIdTest {

  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private RecordingUpstream azure;
  private FakeTokenServer login;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    azure = RecordingUpstream.start(vertx);
    login = FakeTokenServer.start(vertx);
    edge = EdgeHarness.start(vertx);
    ConnectorOptions options = new ConnectorOptions()
        .setEnvironment(Map.of("AZURE_CLIENT_SECRET", FakeTokenServer.CLIENT_SECRET)::get);
    Credentials credentials = new Credentials(vertx, options, clock::get);
    await(credentials.start());
    await(vertx.deployVerticle(new ConnectorVerticle(options, null, credentials)));
  }

  private DeploymentConfig entra(String secretRef) {
    return new DeploymentConfig("dep-entra", "azure-openai", azure.baseUrl(), secretRef, "gpt-4o-prod", null, null,
        TIMEOUTS, null, null, null, null, null, null, null, null, "2024-10-21", null, null, null, "tenant-1",
        FakeTokenServer.CLIENT_ID, login.tokenUrl(), null, null);
  }

  private List<StreamChunk> run(DeploymentConfig d) {
    UpstreamCall call = TestCalls.call(d, TestCalls.chat(100, null), edge.streamAddress());
    await(edge.call("azure-openai", call));
    return await(edge.end(call.requestId()));
  }

  @Test
  @DisplayName("posts client_credentials with the scope cognitiveservices/.default and sends Authorization: Bearer, no api-key")
  void bearer() {
    azure.sse("azure/stream-text.sse");

    List<StreamChunk> chunks = run(entra("${AZURE_CLIENT_SECRET}"));

    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
    RecordingUpstream.Received r = azure.received().get(0);
    assertThat(r.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions");
    assertThat(r.headers().get("Authorization")).isEqualTo("Bearer tok-1");
    assertThat(r.headers().contains("api-key")).isFalse();
    FakeTokenServer.Grant grant = login.grants().get(0);
    assertThat(grant.form().get("grant_type")).isEqualTo("client_credentials");
    assertThat(grant.form().get("client_id")).isEqualTo(FakeTokenServer.CLIENT_ID);
    assertThat(grant.form().get("scope")).isEqualTo("https://cognitiveservices.azure.com/.default");
  }

  @Test
  @DisplayName("the token is cached and refreshed once it expires on the connector's clock")
  void refresh() {
    azure.sse("azure/stream-text.sse");
    run(entra("${AZURE_CLIENT_SECRET}"));
    run(entra("${AZURE_CLIENT_SECRET}"));
    assertThat(login.issued()).isEqualTo(1);

    clock.addAndGet(3_600_000);
    run(entra("${AZURE_CLIENT_SECRET}"));

    assertThat(login.issued()).isEqualTo(2);
    assertThat(azure.received()).extracting(x -> x.headers().get("Authorization"))
        .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
  }

  @Test
  @DisplayName("a wrong client secret is upstream_auth_failed (invalid_client), the secret in no message, Azure not called")
  void wrongSecret() {
    DeploymentConfig d = entra("not-the-secret-xyz");
    UpstreamCall call = TestCalls.call(d, TestCalls.chat(100, null), edge.streamAddress());

    ReplyException failure = (ReplyException) awaitFailure(edge.call("azure-openai", call));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_AUTH);
    assertThat(failure.getMessage()).contains("invalid_client").doesNotContain("not-the-secret");
    assertThat(azure.received()).isEmpty();
  }

  @Test
  @DisplayName("without token_url the tenant's login.microsoftonline.com v2.0 endpoint is used")
  void defaultTokenUrl() {
    DeploymentConfig d = new DeploymentConfig("d", "azure-openai", azure.baseUrl(), "x", "m", null, null, TIMEOUTS,
        null, null, null, null, null, null, null, null, null, null, null, null, "contoso.onmicrosoft.com", "c", null,
        null, null);
    assertThat(EntraIdTokens.tokenUrl(d))
        .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
  }
}
