package io.tollgate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Estimates, headers and options")
class HelpersTest {

  private static ChatRequest chat(Integer maxTokens, Integer n, ChatMessage... messages) {
    return ChatRequest.builder("m", List.of(messages)).maxTokens(maxTokens).n(n).build();
  }

  @Test
  @DisplayName("prompt tokens are about a quarter of the characters plus per-message overhead")
  void promptEstimate() {
    ChatRequest r = chat(null, null, ChatMessage.of(Role.SYSTEM, "12345678"), ChatMessage.of(Role.USER, "123456789"));
    assertThat(r.estimatedPromptTokens()).isEqualTo(3 + (2 + 4) + (3 + 4));
    assertThat(TokenEstimator.estimate(r, 1024)).isEqualTo(16 + 1024);
    assertThat(TokenEstimator.estimate(chat(100, 3, ChatMessage.of(Role.USER, "")), 1024)).isEqualTo(3 + 4 + 300);
    ChatMessage parts = new ChatMessage(Role.USER, List.of(new ContentPart.Text("ab"), new ContentPart.Text("cd")), null);
    assertThat(chat(null, null, parts).estimatedPromptTokens()).isEqualTo(3 + 1 + 4);
  }

  @Test
  @DisplayName("reset durations are written the way OpenAI writes them")
  void durations() {
    assertThat(RateLimitHeaders.duration(17)).isEqualTo("17ms");
    assertThat(RateLimitHeaders.duration(1_000)).isEqualTo("1s");
    assertThat(RateLimitHeaders.duration(1_500)).isEqualTo("1.5s");
    assertThat(RateLimitHeaders.duration(360_000)).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.duration(61_250)).isEqualTo("1m1.25s");
  }

  @Test
  @DisplayName("options round-trip through JSON and default to the named constants")
  void options() {
    TrafficOptions defaults = new TrafficOptions(new io.vertx.core.json.JsonObject());
    assertThat(defaults.getRedisTimeoutMs()).isEqualTo(TrafficOptions.DEFAULT_REDIS_TIMEOUT_MS);
    assertThat(defaults.getMaxTokensEstimate()).isEqualTo(1024);
    assertThat(defaults.globalLimits()).isEqualTo(io.tollgate.api.keys.Limits.NONE);
    TrafficOptions set = new TrafficOptions().setGlobalRpm(600L).setFailClosed(true).setRedisUrl("redis://h:1");
    TrafficOptions copy = new TrafficOptions(set.toJson());
    assertThat(copy.toJson()).isEqualTo(set.toJson());
    assertThat(copy.globalLimits().rpm()).isEqualTo(600L);
    assertThat(copy.toRedisOptions().getEndpoint()).isEqualTo("redis://h:1");
  }
}
