package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.launcher.TestGateway.AdminResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The operator workflow on one JVM with the embedded PostgreSQL: admin API in, OpenAI SDK out")
class AdminWorkflowTest {

  static Tollgate gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: seeded
            deployments:
              - {id: seeded-1, provider: mock, mock: {tokens: 3}}
        """), Set.of(Role.values()), false, "unused", null);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
  }

  @Test
  @DisplayName("create a tenant, a key and a model, call it with the SDK, revoke the key: refused within a second")
  void createCallRevoke() throws Exception {
    String tenant = created(TestGateway.admin(gateway, "POST", "/admin/v1/tenants",
        new JsonObject().put("name", "team-workflow"))).getString("id");
    created(TestGateway.admin(gateway, "POST", "/admin/v1/models", new JsonObject()
        .put("name", "team-model").put("aliases", new JsonArray().add("tm"))
        .put("deployments", new JsonArray().add(new JsonObject().put("id", "team-model-1").put("provider", "mock")
            .put("mock", new JsonObject().put("tokens", 5)).put("output_price_per_mtok", 2.5)))));
    JsonObject key = created(TestGateway.admin(gateway, "POST", "/admin/v1/keys", new JsonObject()
        .put("tenant_id", tenant).put("name", "workflow-key").put("models", new JsonArray().add("team-model"))));
    String secret = key.getString("key");
    assertThat(secret).startsWith("tg-");

    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), secret);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("tm").addUserMessage("hi").build();
    assertThat(awaitAnswer(client, params)).isEqualTo(5);

    assertThatThrownBy(() -> client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("seeded").addUserMessage("hi").build()))
        .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.code()).hasValue("model_not_allowed"));

    AdminResponse revoked = TestGateway.admin(gateway, "PATCH", "/admin/v1/keys/" + key.getString("id"),
        new JsonObject().put("enabled", false));
    assertThat(revoked.status()).isEqualTo(200);
    long revokedAt = System.nanoTime();
    assertThat(awaitRefusal(client, params)).isEqualTo("key_disabled");
    assertThat((System.nanoTime() - revokedAt) / 1_000_000).isLessThan(1_000);

    assertThat(TestGateway.admin(gateway, "DELETE", "/admin/v1/keys/" + key.getString("id"), null).status())
        .isEqualTo(204);
    // The key was already refused (disabled); the deletion reaches the edge by its own event.
    assertThat(awaitRefusal(client, params, "invalid_api_key")).isEqualTo("invalid_api_key");
  }

  @Test
  @DisplayName("an expired key and a key used from a wrong address are refused with their own 403 codes")
  void expiredAndWrongAddress() throws Exception {
    String expired = created(TestGateway.admin(gateway, "POST", "/admin/v1/keys", new JsonObject()
        .put("tenant_id", "default").put("name", "expired-key").put("expires_at", "2020-01-01T00:00:00Z")))
        .getString("key");
    String elsewhere = created(TestGateway.admin(gateway, "POST", "/admin/v1/keys", new JsonObject()
        .put("tenant_id", "default").put("name", "office-key").put("ip_allow", new JsonArray().add("10.0.0.0/8"))))
        .getString("key");
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("seeded").addUserMessage("hi").build();
    assertThat(awaitRefusal(TestGateway.openAi(gateway.httpPort(), expired), params)).isEqualTo("key_expired");
    assertThat(awaitRefusal(TestGateway.openAi(gateway.httpPort(), elsewhere), params)).isEqualTo("ip_not_allowed");
  }

  private static JsonObject created(AdminResponse r) {
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
    return r.body();
  }

  /** A change reaches the edge through the config feed, within a second or so: retry until then. */
  private static long awaitAnswer(OpenAIClient client, ChatCompletionCreateParams params) throws InterruptedException {
    RuntimeException last = null;
    for (int i = 0; i < 40; i++) {
      try {
        return client.chat().completions().create(params).usage().get().completionTokens();
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    throw last;
  }

  static String awaitRefusal(OpenAIClient client, ChatCompletionCreateParams params) throws InterruptedException {
    return awaitRefusal(client, params, null);
  }

  /** The first refusal (with {@code code} null) or the first refusal with that code, within about a second. */
  static String awaitRefusal(OpenAIClient client, ChatCompletionCreateParams params, String code)
      throws InterruptedException {
    String last = null;
    for (int i = 0; i < 40; i++) {
      try {
        client.chat().completions().create(params);
      } catch (PermissionDeniedException | UnauthorizedException e) {
        last = ((com.openai.errors.OpenAIServiceException) e).code().orElse("");
        if (code == null || code.equals(last)) {
          return last;
        }
      }
      Thread.sleep(25);
    }
    throw new AssertionError(last == null ? "the key was still accepted after 1 s"
        : "still refused with " + last + " after 1 s");
  }
}
