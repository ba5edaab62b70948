package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Keys managed on the admin node hold on another clustered node, and survive Postgres going away")
class ClusteredAdminTest {

  @Test
  @DisplayName("a key created on the admin node works on the other node's edge, is refused there within 1 s of "
      + "being revoked, and cached keys keep serving while Postgres is down")
  void keyLifecycleAcrossNodes() throws Exception {
    Path config = TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 4}}
        """);
    String cluster = TestGateway.uniqueClusterName();
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    Tollgate adminNode = null;
    Tollgate edgeNode = null;
    try {
      adminNode = TestGateway.start(config, Set.of(Role.ADMIN, Role.ROUTER, Role.CONNECTOR), true, cluster, null,
          postgres.uri(), TestGateway.freshDataDir());
      edgeNode = TestGateway.start(null, Set.of(Role.EDGE), true, cluster, redis.url());
      assertThat(TestGateway.awaitReady(edgeNode)).isEqualTo(200);

      TestGateway.AdminResponse created = TestGateway.admin(adminNode, "POST", "/admin/v1/keys",
          new JsonObject().put("tenant_id", "default").put("name", "cross-node"));
      assertThat(created.status()).isEqualTo(201);
      OpenAIClient client = TestGateway.openAi(edgeNode.httpPort(), created.body().getString("key"));
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("mock-model")
          .addUserMessage("from the other node").build();
      assertThat(awaitOk(client, params)).isTrue();

      // Postgres goes away: the admin refuses writes, its readiness says so, the data path carries on.
      postgres.close();
      assertThat(client.chat().completions().create(params).choices()).hasSize(1);
      assertThat(TestGateway.admin(adminNode, "POST", "/admin/v1/tenants", new JsonObject().put("name", "late"))
          .status()).isEqualTo(503);
      assertThat(TestGateway.ready(adminNode)).isEqualTo(503);
      assertThat(client.chat().completions().create(params).choices()).hasSize(1);

      // Postgres is back (same data directory): revoke the key, the edge node refuses it within 1 s.
      EmbeddedPg again = EmbeddedPg.start(postgres.directory().getParent(), postgres.port());
      postgres = again;
      TestGateway.AdminResponse revoked = null;
      for (int i = 0; i < 50 && (revoked == null || revoked.status() != 200); i++) {
        revoked = TestGateway.admin(adminNode, "PATCH", "/admin/v1/keys/" + created.body().getString("id"),
            new JsonObject().put("enabled", false));
        if (revoked.status() != 200) {
          Thread.sleep(100);
        }
      }
      assertThat(revoked.status()).isEqualTo(200);
      long revokedAt = System.nanoTime();
      assertThat(AdminWorkflowTest.awaitRefusal(client, params)).isEqualTo("key_disabled");
      assertThat((System.nanoTime() - revokedAt) / 1_000_000).isLessThan(1_000);
    } finally {
      if (edgeNode != null) {
        edgeNode.close().await();
      }
      if (adminNode != null) {
        adminNode.close().await();
      }
      redis.stop();
      postgres.close();
    }
  }

  private static boolean awaitOk(OpenAIClient client, ChatCompletionCreateParams params) throws InterruptedException {
    for (int i = 0; i < 40; i++) {
      try {
        return !client.chat().completions().create(params).choices().isEmpty();
      } catch (RuntimeException e) {
        Thread.sleep(50);
      }
    }
    return false;
  }
}
