package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Routing that learns, end to end: the policy header, a breaker opened by outcomes, the admin's view")
class RoutingLearnsTest {

  static Tollgate gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: learner
            policy: priority
            routing: {breaker_failures: 3, breaker_cooldown_ms: 600000}
            deployments:
              - {id: broken, provider: mock, priority: 0, mock: {tokens: 2, failure_rate: 1.0}}
              - {id: healthy, provider: mock, priority: 1, mock: {tokens: 2}}
        """), Set.of(Role.values()), false, "unused", null);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
  }

  @Test
  @DisplayName("clients never see the broken deployment fail; after three failures its breaker opens and requests "
      + "go straight to the healthy one; the admin API shows it")
  void breakerOpensFromOutcomes() throws Exception {
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("learner").addUserMessage("hi").build();
    for (int i = 0; i < 3; i++) {
      HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params);
      assertThat(raw.parse().choices()).hasSize(1);
      assertThat(raw.headers().values("x-tollgate-policy")).containsExactly("priority");
      assertThat(raw.headers().values("x-tollgate-route")).containsExactly("healthy");
    }

    JsonObject broken = awaitBreaker("broken", "open");
    assertThat(broken.getDouble("failures")).isGreaterThan(2.9);
    assertThat(broken.getJsonObject("stats").getInteger("consecutive_failures")).isEqualTo(3);

    HttpResponseFor<ChatCompletion> after = client.chat().completions().withRawResponse().create(params);
    assertThat(after.headers().values("x-tollgate-route")).containsExactly("healthy");
    assertThat(after.headers().values("x-tollgate-attempts")).as("the open breaker is skipped").containsExactly("1");

    JsonObject healthy = deployment(routing(), "healthy");
    assertThat(healthy.getString("breaker")).isEqualTo("closed");
    assertThat(healthy.getDouble("successes")).isGreaterThan(2.9);
    assertThat(healthy.getDouble("ewma_latency_ms")).isNotNull();

    assertThat(TestGateway.admin(gateway, "GET", "/admin/v1/models/no-such/routing", null).status()).isEqualTo(404);
  }

  private static JsonObject routing() {
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "GET", "/admin/v1/models/learner/routing", null);
    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    assertThat(r.body().getString("policy")).isEqualTo("priority");
    return r.body();
  }

  private static JsonObject deployment(JsonObject routing, String id) {
    return routing.getJsonArray("deployments").stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("id").equals(id)).findFirst().orElseThrow();
  }

  /** Outcomes reach the routers a moment after the answer: poll the admin view for up to 2 s. */
  private static JsonObject awaitBreaker(String id, String state) throws InterruptedException {
    JsonObject last = null;
    for (int i = 0; i < 40; i++) {
      last = deployment(routing(), id);
      if (state.equals(last.getString("breaker"))) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("breaker of " + id + " still " + last);
  }
}
