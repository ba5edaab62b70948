package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.api.codec.Wire;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration owned by the admin node reaches the other clustered node: global limits and stored keys")
class ClusteredConfigTest {

  static final String LITERAL = "sk-literal-stored-encrypted-7781";

  static Vertx clients;
  static FakeOpenAiUpstream upstream;
  static EmbeddedRedisServer redis;
  static EmbeddedPg postgres;
  static Tollgate adminNode;
  static Tollgate trafficNode;
  static final List<String> eventsSeenOnTrafficNode = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    clients = Vertx.vertx();
    upstream = FakeOpenAiUpstream.start(clients, FakeOpenAiUpstream.Mode.STREAM);
    redis = EmbeddedRedisServer.start();
    postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    String cluster = TestGateway.uniqueClusterName();
    var config = TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 4}}
        """);
    // Only the admin node has the secrets key; the traffic node (edge, router, connector) has no
    // config file and no upstream credentials of its own.
    adminNode = TestGateway.start(config, Set.of(Role.ADMIN), true, cluster, null, postgres.uri(),
        TestGateway.freshDataDir(), Map.of("TOLLGATE_SECRETS_KEY", SecretBox.generateKey()));
    trafficNode = TestGateway.start(null, Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), true, cluster, redis.url(),
        null, TestGateway.freshDataDir(), Map.of());
    trafficNode.vertx().eventBus().<ConfigEvent>consumer(ConfigAddresses.EVENTS,
        m -> eventsSeenOnTrafficNode.add(wire(m.body()))).completion().await();
    assertThat(TestGateway.awaitReady(trafficNode)).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    for (Tollgate node : new Tollgate[] {trafficNode, adminNode}) {
      if (node != null) {
        node.close().await();
      }
    }
    if (clients != null) {
      clients.close().await();
    }
    if (redis != null) {
      redis.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @DisplayName("a global rpm set through the admin API on one node is enforced by the edge of the other")
  void globalLimitsFromTheAdminNode() throws Exception {
    OpenAIClient client = TestGateway.openAi(trafficNode.httpPort(), TestGateway.KEY);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("mock-model")
        .addUserMessage("limit me").build();
    for (int i = 0; i < 4; i++) {
      assertThat(client.chat().completions().create(params).choices()).as("no limits yet").hasSize(1);
    }

    TestGateway.AdminResponse set = TestGateway.admin(adminNode, "PUT", "/admin/v1/limits",
        new JsonObject().put("rpm", 2));
    assertThat(set.status()).as(set.body().encode()).isEqualTo(200);

    RateLimitException refused = null;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (refused == null && System.nanoTime() < deadline) {
      try {
        client.chat().completions().create(params);
      } catch (RateLimitException e) {
        refused = e;
      }
    }
    assertThat(refused).as("the edge on the other node refuses past the cluster's global rpm").isNotNull();
    assertThat(refused.getMessage()).contains("gateway rate limit of 2 requests per minute");

    assertThat(TestGateway.admin(adminNode, "PUT", "/admin/v1/limits", new JsonObject()).status()).isEqualTo(200);
    boolean served = false;
    deadline = System.nanoTime() + 5_000_000_000L;
    while (!served && System.nanoTime() < deadline) {
      try {
        served = !client.chat().completions().create(params).choices().isEmpty();
      } catch (RateLimitException e) {
        Thread.sleep(20);
      }
    }
    assertThat(served).as("removing the limits through the admin API lifts them on the edge").isTrue();
  }

  @Test
  @DisplayName("a literal upstream key given to the admin node is encrypted in Postgres, absent from what the "
      + "traffic node receives, and still reaches the upstream through that node's connector")
  void literalKeyStoredAndResolvedAcrossNodes() {
    JsonObject model = new JsonObject().put("name", "upstream-model").put("deployments", new JsonArray()
        .add(new JsonObject().put("id", "up-1").put("provider", "openai").put("base_url", upstream.baseUrl())
            .put("api_key", LITERAL).put("upstream_model", "gpt-4o-mini")));
    TestGateway.AdminResponse created = TestGateway.admin(adminNode, "POST", "/admin/v1/models", model);
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
    assertThat(created.body().encode()).doesNotContain(LITERAL);

    OpenAIClient client = TestGateway.openAi(trafficNode.httpPort(), TestGateway.KEY);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("upstream-model")
        .addUserMessage("who am I to the upstream?").build();
    String answer = null;
    RuntimeException last = null;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (answer == null && System.nanoTime() < deadline) {
      try {
        answer = client.chat().completions().create(params).choices().get(0).message().content().orElse("");
      } catch (RuntimeException e) {
        // The model is not on the traffic node yet (404) until the change event arrives.
        last = e;
      }
    }
    assertThat(answer).as("last failure: %s", last).isNotNull();
    assertThat(upstream.authorizations).contains("Bearer " + LITERAL);

    ConfigSnapshot snapshot = trafficNode.vertx().eventBus().<ConfigSnapshot>request(ConfigAddresses.SNAPSHOT, null)
        .await().body();
    assertThat(wire(snapshot)).contains("secret:up-1").doesNotContain(LITERAL);
    assertThat(eventsSeenOnTrafficNode).isNotEmpty().noneMatch(e -> e.contains(LITERAL));

    Pool pool = ConfigStore.pool(clients, postgres.uri(), 1);
    try {
      Row row = pool.query("SELECT ciphertext, (SELECT spec::text FROM models WHERE name = 'upstream-model') "
          + "FROM deployment_secrets WHERE deployment_id = 'up-1'").execute().await().iterator().next();
      assertThat(new String(row.getBuffer(0).getBytes(), StandardCharsets.ISO_8859_1)).doesNotContain(LITERAL);
      assertThat(row.getString(1)).doesNotContain(LITERAL);
    } finally {
      pool.close().await();
    }
  }

  @Test
  @DisplayName("a clustered admin node without TOLLGATE_SECRETS_KEY refuses a literal key, naming the field")
  void literalRefusedWithoutKey() {
    var config = TestGateway.writeConfig("""
        models:
          - name: literal-model
            deployments:
              - {id: lit-1, provider: openai, api_key: sk-plain-in-file}
        """);
    assertThatThrownBy(() -> TestGateway.start(config, Set.of(Role.ADMIN), true, TestGateway.uniqueClusterName(),
        null, postgres.uri(), TestGateway.freshDataDir(), Map.of()))
        .hasMessageContaining("models[0].deployments[0].api_key").hasMessageContaining("TOLLGATE_SECRETS_KEY")
        .hasMessageNotContaining("sk-plain-in-file");
  }

  private static String wire(Object value) {
    try {
      return new String(Wire.MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
