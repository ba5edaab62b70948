package io.tollgate.connector.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.connector.Fixtures;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Gemini stream chunks to the gateway's deltas and usage")
class GeminiResponseMapperTest {

  private static List<GeminiResponseMapper.Mapped> mapAll(GeminiResponseMapper mapper, String fixture) {
    return Fixtures.events(fixture).stream()
        .map(e -> mapper.chunk(new JsonObject(e.substring("data: ".length())))).toList();
  }

  @Test
  @DisplayName("thought parts are reasoning, text parts content, STOP is stop; usage counts thoughts as completion")
  void textWithThoughts() {
    GeminiResponseMapper mapper = new GeminiResponseMapper();
    List<GeminiResponseMapper.Mapped> mapped = mapAll(mapper, "gemini/stream-text.sse");

    assertThat(mapped.get(0).deltas()).containsExactly(new ChoiceDelta(0, "assistant", null, null, null,
        new ReasoningDelta("**Greeting the tollgate**\n\nA short hello is enough.", null, null), null));
    assertThat(mapped.get(1).deltas()).containsExactly(ChoiceDelta.text(0, "Hello"));
    assertThat(mapped.get(2).deltas()).containsExactly(
        new ChoiceDelta(0, null, ", tollgate! ☃", null, FinishReason.STOP));
    assertThat(mapped.get(0).usage()).isEqualTo(new Usage(12, 0, 0, 0, false));
    assertThat(mapped.get(2).usage()).as("completion = candidates 6 + thoughts 25").isEqualTo(new Usage(12, 31, 4, 25, false));
    assertThat(mapper.finished()).isTrue();
  }

  @Test
  @DisplayName("function calls are whole tool-call deltas with ids made from the responseId, and their STOP is tool_calls")
  void functionCalls() {
    GeminiResponseMapper mapper = new GeminiResponseMapper();
    ChoiceDelta d = mapAll(mapper, "gemini/stream-function-calls.sse").get(0).deltas().get(0);

    assertThat(d.role()).isEqualTo("assistant");
    assertThat(d.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    List<ToolCallDelta> calls = d.toolCalls();
    assertThat(calls).extracting(ToolCallDelta::index).containsExactly(0, 1);
    assertThat(calls).extracting(ToolCallDelta::name).containsExactly("get_weather", "get_weather");
    assertThat(calls).extracting(ToolCallDelta::arguments)
        .containsExactly("{\"location\":\"Paris\"}", "{\"location\":\"London\"}");
    assertThat(calls).extracting(ToolCallDelta::id)
        .containsExactly("call_2AitaKnYKcOCz7IPpIaV0QE_0", "call_2AitaKnYKcOCz7IPpIaV0QE_1");
    ChoiceDelta anonymous = new GeminiResponseMapper().chunk(new JsonObject("""
        {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},"index":0}]}"""))
        .deltas().get(0);
    assertThat(anonymous.toolCalls().get(0).id()).as("random without a responseId").startsWith("call_").hasSize(29);
  }

  @Test
  @DisplayName("an id the upstream gives a function call is kept")
  void upstreamCallId() {
    ChoiceDelta d = new GeminiResponseMapper().chunk(new JsonObject("""
        {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"fc-7","name":"f","args":{}}}]},
         "finishReason":"STOP","index":0}]}""")).deltas().get(0);
    assertThat(d.toolCalls()).containsExactly(new ToolCallDelta(0, "fc-7", "f", "{}"));
  }

  @Test
  @DisplayName("MAX_TOKENS is length, safety and recitation stops are content_filter, a blocked prompt too")
  void finishReasons() {
    assertThat(mapAll(new GeminiResponseMapper(), "gemini/stream-max-tokens.sse").get(1).deltas().get(0).finishReason())
        .isEqualTo(FinishReason.LENGTH);
    for (String word : List.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY")) {
      assertThat(GeminiResponseMapper.finishReason(word, false)).as(word).isEqualTo(FinishReason.CONTENT_FILTER);
    }
    assertThat(GeminiResponseMapper.finishReason("OTHER", false)).isEqualTo(FinishReason.STOP);
    assertThat(GeminiResponseMapper.finishReason("FINISH_REASON_UNSPECIFIED", false)).isNull();

    GeminiResponseMapper blocked = new GeminiResponseMapper();
    GeminiResponseMapper.Mapped m = mapAll(blocked, "gemini/stream-prompt-blocked.sse").get(0);
    assertThat(m.deltas()).containsExactly(new ChoiceDelta(0, "assistant", null, null, FinishReason.CONTENT_FILTER));
    assertThat(m.usage()).isEqualTo(new Usage(9, 0, 0, 0, false));
    assertThat(blocked.finished()).isTrue();
  }

  @Test
  @DisplayName("a stream without a finish reason is not finished")
  void unfinished() {
    GeminiResponseMapper mapper = new GeminiResponseMapper();
    mapAll(mapper, "gemini/stream-truncated.sse");
    assertThat(mapper.finished()).isFalse();
  }

  @Test
  @DisplayName("Google's error envelope maps by status: rate limit, overload, auth (incl. an invalid key's 400), bad request")
  void errors() {
    assertThat(failure(429, "gemini/error-429.json")).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
    assertThat(failure(503, "gemini/error-503.json")).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED);
    assertThat(failure(500, "gemini/error-500.json")).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(failure(403, "gemini/error-403.json")).isEqualTo(ErrorCode.UPSTREAM_AUTH);
    assertThat(failure(400, "gemini/error-400-key.json")).isEqualTo(ErrorCode.UPSTREAM_AUTH);
    assertThat(failure(400, "gemini/error-400.json")).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
    assertThat(failure(404, "gemini/error-404.json")).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
    GatewayException e = GeminiResponseMapper.failure(429, GeminiResponseMapper.errorOf(Fixtures.text("gemini/error-429.json")));
    assertThat(e.getMessage()).as("the status word, never Google's message")
        .isEqualTo("upstream answered HTTP 429 (RESOURCE_EXHAUSTED)");
    assertThat(GeminiResponseMapper.errorOf("<html>Bad Gateway</html>")).isNull();
  }

  @Test
  @DisplayName("an error object inside the stream fails the call with its code")
  void errorInStream() {
    assertThatThrownBy(() -> new GeminiResponseMapper().chunk(new JsonObject(Fixtures.text("gemini/error-503.json"))))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED));
  }

  private static ErrorCode failure(int status, String fixture) {
    return GeminiResponseMapper.failure(status, GeminiResponseMapper.errorOf(Fixtures.text(fixture))).code();
  }
}
