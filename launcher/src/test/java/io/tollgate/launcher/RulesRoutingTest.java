package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A rules model (auto) chooses the model by prompt length and keywords, seen through the OpenAI SDK")
class RulesRoutingTest {

  static Tollgate gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: small
            deployments: [{id: small-1, provider: mock, mock: {tokens: 2}}]
          - name: big
            deployments: [{id: big-1, provider: mock, mock: {tokens: 2}}]
          - name: coder
            deployments: [{id: coder-1, provider: mock, mock: {tokens: 2}}]
          - name: auto
            policy: rules
            rules:
              - {name: long-prompts, when: {min_prompt_tokens: 500}, model: big}
              - {name: code, when: {keywords: [stack trace, java]}, model: coder}
              - {name: default, model: small}
        """), Set.of(Role.values()), false, "unused", null);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
  }

  private static HttpResponseFor<ChatCompletion> ask(String text) {
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
    return client.chat().completions().withRawResponse()
        .create(ChatCompletionCreateParams.builder().model("auto").addUserMessage(text).build());
  }

  @Test
  @DisplayName("each request lands on the deployment of the model its first matching rule names; "
      + "x-tollgate-policy says rules")
  void routesByRules() {
    HttpResponseFor<ChatCompletion> code = ask("What does this Java stack trace mean?");
    assertThat(code.parse().choices()).hasSize(1);
    assertThat(code.headers().values("x-tollgate-policy")).containsExactly("rules");
    assertThat(code.headers().values("x-tollgate-route")).containsExactly("coder-1");

    assertThat(ask("word ".repeat(800)).headers().values("x-tollgate-route")).containsExactly("big-1");
    assertThat(ask("hello there").headers().values("x-tollgate-route")).containsExactly("small-1");
  }

  @Test
  @DisplayName("the invoke endpoint shows which rule matched and why")
  void invokeExplains() {
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "POST", "/admin/v1/models/auto/invoke",
        new io.vertx.core.json.JsonObject().put("messages", java.util.List.of(
            new io.vertx.core.json.JsonObject().put("role", "user").put("content", "a java question"))));
    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    assertThat(r.body().getJsonObject("routing").getString("policy")).isEqualTo("rules");
    assertThat(r.body().getJsonObject("routing").getString("reason"))
        .contains("rule 'code'", "keyword 'java'", "chose model coder");
    assertThat(r.body().getJsonObject("routing").getString("deployment_id")).isEqualTo("coder-1");
  }
}
