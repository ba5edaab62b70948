package io.tollgate.connector;

import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.MockOptions;
import io.tollgate.api.config.Timeouts;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** UpstreamCalls as the router builds them. */
public final class TestCalls {

  /** Estimated prompt tokens: 3 + (ceil(14 / 4) + 4) + (ceil(27 / 4) + 4) = 22 (ChatRequest#estimatedPromptTokens). */
  public static final List<ChatMessage> MESSAGES = List.of(
      ChatMessage.of(Role.SYSTEM, "You are terse."),
      ChatMessage.of(Role.USER, "Say hello to the tollgate!!"));
  public static final int ESTIMATED_PROMPT_TOKENS = 22;

  private TestCalls() {
  }

  public static ChatRequest chat(Integer maxTokens, Integer n) {
    return ChatRequest.builder("gpt-test", MESSAGES).stream(true).includeUsage(true).maxTokens(maxTokens)
        .temperature(0.5).n(n).user("user-7").extra(Map.of("seed", new RawJson("42"))).build();
  }

  public static DeploymentConfig openai(String baseUrl, String apiKey, Timeouts timeouts) {
    return new DeploymentConfig("dep-openai", "openai", baseUrl, apiKey, "gpt-4o-mini", null, null, timeouts,
        null, null, null, null);
  }

  public static DeploymentConfig mock(MockOptions mock) {
    return new DeploymentConfig("dep-mock", "mock", null, null, null, null, null, null, mock, null, null, null);
  }

  public static UpstreamCall call(DeploymentConfig deployment, ChatRequest chat, String streamAddress) {
    return new UpstreamCall("req-" + UUID.randomUUID(), 1, "gpt-test", deployment, chat, streamAddress,
        "key-1", "tenant-1");
  }
}
