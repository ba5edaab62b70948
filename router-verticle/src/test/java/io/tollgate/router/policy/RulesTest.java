package io.tollgate.router.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Role;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RouteRule;
import io.tollgate.api.config.RouteRule.Condition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rules policy: the first rule whose conditions all hold chooses the model, and says why")
class RulesTest {

  private static final ModelConfig AUTO = new ModelConfig("auto", null, ModelConfig.POLICY_RULES, null, null,
      List.of(
          new RouteRule("long-prompts", new Condition(1_000, null, null, null, null, null), "big"),
          new RouteRule("code", new Condition(null, null, List.of("stack trace", "Java"), null, null, null), "coder"),
          new RouteRule("gold", new Condition(null, null, null, null, null, Map.of("tier", "gold")), "premium"),
          new RouteRule("acme-alice", new Condition(null, null, null, List.of("alice"), List.of("t-acme"), null),
              "premium"),
          new RouteRule("default", null, "cheap")));

  @SuppressWarnings("unchecked")
  private static ChatRequest chat(String text, String user, Map<String, Object> extra) {
    Object metadata = extra == null ? null : extra.get("metadata");
    return ChatRequest.builder("auto", List.of(ChatMessage.of(Role.SYSTEM, "you know java"),
            ChatMessage.of(Role.USER, text)))
        .user(user).metadata(metadata == null ? null : (Map<String, String>) metadata).build();
  }

  @Test
  @DisplayName("a request without a chat (embeddings): only tenant conditions and the catch-all can hold")
  void withoutChat() {
    ModelConfig tenants = new ModelConfig("auto", null, ModelConfig.POLICY_RULES, null, null, List.of(
        new RouteRule("long-prompts", new Condition(1, null, null, null, null, null), "big"),
        new RouteRule("acme", new Condition(null, null, null, null, List.of("t-acme"), null), "premium"),
        new RouteRule("default", null, "cheap")));
    assertThat(Rules.match(tenants, null, "t-acme").rule().name()).isEqualTo("acme");
    assertThat(Rules.match(tenants, null, "t-other").rule().name()).isEqualTo("default");
    assertThat(Rules.match(AUTO, null, "t-acme").rule().name()).isEqualTo("default");
  }

  @Test
  @DisplayName("prompt length, keywords (user messages only, any case), metadata, user and tenant together, "
      + "and a catch-all, in order")
  void matches() {
    Rules.Match longPrompt = Rules.match(AUTO, chat("x".repeat(5_000), null, null), null);
    assertThat(longPrompt.rule().name()).isEqualTo("long-prompts");
    assertThat(longPrompt.reason()).contains("rule 'long-prompts'", "prompt ~", "tokens", "chose model big");

    Rules.Match code = Rules.match(AUTO, chat("why this JAVA exception?", null, null), null);
    assertThat(code.rule().model()).isEqualTo("coder");
    assertThat(code.why()).isEqualTo("keyword 'Java'");

    assertThat(Rules.match(AUTO, chat("hello", null, null), null).rule().name())
        .as("'java' in the system message is not what the user wrote").isEqualTo("default");

    assertThat(Rules.match(AUTO, chat("hello", null, Map.of("metadata", Map.of("tier", "gold"))), null).rule().name())
        .isEqualTo("gold");
    assertThat(Rules.match(AUTO, chat("hello", null, Map.of("metadata", Map.of("tier", "silver"))), null).rule()
        .name()).isEqualTo("default");

    assertThat(Rules.match(AUTO, chat("hello", "alice", null), "t-acme").why())
        .isEqualTo("user 'alice', tenant t-acme");
    assertThat(Rules.match(AUTO, chat("hello", "alice", null), "t-other").rule().name())
        .as("every condition of a rule must hold").isEqualTo("default");
  }

  @Test
  @DisplayName("without a catch-all, a request no rule matches gets no model")
  void noMatch() {
    ModelConfig strict = new ModelConfig("auto", null, ModelConfig.POLICY_RULES, null, null,
        List.of(new RouteRule("code", new Condition(null, null, List.of("java"), null, null, null), "coder")));
    assertThat(Rules.match(strict, chat("hello", null, null), null)).isNull();
  }

  @Test
  @DisplayName("rules are checked where models enter: a name and another model per rule, bounds in order, "
      + "rules only with policy rules")
  void validation() {
    assertThat(AUTO.rulesError()).isNull();
    assertThat(new ModelConfig("auto", null, "rules", null, null, List.of(new RouteRule(null, null, "x")))
        .rulesError()).containsExactly("rules[0].name",
        "rules[0].name is required (it is the reason given for the decision)");
    assertThat(new ModelConfig("auto", List.of("a"), "rules", null, null, List.of(new RouteRule("r", null, "a")))
        .rulesError()[0]).isEqualTo("rules[0].model");
    assertThat(new ModelConfig("auto", null, "rules", null, null,
        List.of(new RouteRule("r", new Condition(10, 5, null, null, null, null), "x"))).rulesError()[1])
        .contains("min_prompt_tokens is above max_prompt_tokens");
    assertThat(new ModelConfig("m", null, "priority", null, List.of(Fixtures.deployment("a", 1, 0)),
        List.of(new RouteRule("r", null, "x"))).rulesError()[0]).isEqualTo("rules");
  }
}
