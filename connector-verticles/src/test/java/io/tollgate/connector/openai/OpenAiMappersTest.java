package io.tollgate.connector.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.MaxTokensField;
import io.tollgate.connector.TestCalls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OpenAI request and response mapping")
class OpenAiMappersTest {

  @Test
  @DisplayName("maps the request back to OpenAI JSON, always streaming with usage, extras verbatim")
  void requestBody() {
    List<Map<String, Object>> toolCalls = List.of(Map.of("id", "call_1", "type", "function",
        "function", Map.of("name", "f", "arguments", "{}")));
    ChatRequest chat = new ChatRequest("public-model", List.of(
        new ChatMessage("assistant", null, null, null, toolCalls),
        new ChatMessage("tool", "42", "f", "call_1", null)),
        false, false, 64, 0.2, 0.9, 2, List.of("END"), "u1",
        Map.of("tools", List.of(Map.of("type", "function")), "stream", false));
    DeploymentConfig deployment = new DeploymentConfig("d", "openai", "http://x/v1", null, null, null, null, null,
        null, null, null, null);

    JsonObject json = OpenAiRequestMapper.toJson(new UpstreamCall("r", 1, "public-model", deployment, chat, "s",
        null, null));

    assertThat(json.getString("model")).as("no upstream_model: the call's model").isEqualTo("public-model");
    assertThat(json.getBoolean("stream")).isTrue();
    assertThat(json.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(json.getInteger("max_tokens")).isEqualTo(64);
    assertThat(json.getDouble("top_p")).isEqualTo(0.9);
    assertThat(json.getInteger("n")).isEqualTo(2);
    assertThat(json.getJsonArray("stop").getString(0)).isEqualTo("END");
    assertThat(json.getJsonArray("tools").size()).isEqualTo(1);
    JsonObject assistant = json.getJsonArray("messages").getJsonObject(0);
    assertThat(assistant.containsKey("content")).isFalse();
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_1");
    JsonObject tool = json.getJsonArray("messages").getJsonObject(1);
    assertThat(tool.getString("tool_call_id")).isEqualTo("call_1");
    assertThat(tool.getString("name")).isEqualTo("f");
    assertThat(new JsonObject(Buffer.buffer(json.encode()))).isEqualTo(json);
  }

  @Test
  @DisplayName("max_completion_tokens goes upstream as sent (OpenAI reasoning models refuse max_tokens); "
      + "a deployment's max_tokens_field maps either to the one its server knows")
  void maxTokensAsSent() {
    ChatRequest modern = new ChatRequest("m", List.of(ChatMessage.of("user", "hi")), false, false, null, null, null,
        null, null, null, null, 300);
    DeploymentConfig asSent = TestCalls.openai("http://x/v1", null, null);
    JsonObject json = OpenAiRequestMapper.toJson(new UpstreamCall("r", 0, "m", asSent, modern, "s", null, null));
    assertThat(json.getInteger("max_completion_tokens")).isEqualTo(300);
    assertThat(json.containsKey("max_tokens")).isFalse();

    ChatRequest legacy = new ChatRequest("m", List.of(ChatMessage.of("user", "hi")), false, false, 50, null, null,
        null, null, null, null, null);
    json = OpenAiRequestMapper.toJson(new UpstreamCall("r", 0, "m", asSent, legacy, "s", null, null));
    assertThat(json.getInteger("max_tokens")).isEqualTo(50);
    assertThat(json.containsKey("max_completion_tokens")).isFalse();

    DeploymentConfig vllm = withField(asSent, MaxTokensField.MAX_TOKENS);
    json = OpenAiRequestMapper.toJson(new UpstreamCall("r", 0, "m", vllm, modern, "s", null, null));
    assertThat(json.getInteger("max_tokens")).isEqualTo(300);
    assertThat(json.containsKey("max_completion_tokens")).isFalse();

    DeploymentConfig reasoning = withField(asSent, MaxTokensField.MAX_COMPLETION_TOKENS);
    json = OpenAiRequestMapper.toJson(new UpstreamCall("r", 0, "m", reasoning, legacy, "s", null, null));
    assertThat(json.getInteger("max_completion_tokens")).isEqualTo(50);
    assertThat(json.containsKey("max_tokens")).isFalse();
  }

  private static DeploymentConfig withField(DeploymentConfig d, MaxTokensField field) {
    return new DeploymentConfig(d.id(), d.provider(), d.baseUrl(), d.apiKey(), d.upstreamModel(), d.weight(),
        d.priority(), d.timeouts(), d.mock(), d.inputPricePerMtok(), d.outputPricePerMtok(),
        d.cachedInputPricePerMtok(), d.concurrency(), field);
  }

  @Test
  @DisplayName("uses the deployment's upstream_model when set")
  void upstreamModel() {
    UpstreamCall call = TestCalls.call(TestCalls.openai("http://x/v1", null, null), TestCalls.chat(null, null), "s");
    assertThat(OpenAiRequestMapper.toJson(call).getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(OpenAiRequestMapper.toJson(call).containsKey("max_tokens")).isFalse();
  }

  @Test
  @DisplayName("reads the message of OpenAI envelopes, bare error strings, FastAPI detail and plain text")
  void errorMessages() {
    assertThat(OpenAiResponseMapper.errorMessage(Buffer.buffer("{\"error\":{\"message\":\"bad\"}}"))).isEqualTo("bad");
    assertThat(OpenAiResponseMapper.errorMessage(Buffer.buffer("{\"error\":\"model not loaded\"}")))
        .isEqualTo("model not loaded");
    assertThat(OpenAiResponseMapper.errorMessage(Buffer.buffer("{\"detail\":\"Not Found\"}"))).isEqualTo("Not Found");
    assertThat(OpenAiResponseMapper.errorMessage(Buffer.buffer("<html>\n502 Bad Gateway</html>")))
        .isEqualTo("<html> 502 Bad Gateway</html>");
    assertThat(OpenAiResponseMapper.errorMessage(Buffer.buffer())).isNull();
  }

  @Test
  @DisplayName("reads cached and reasoning tokens, and tolerates null detail objects")
  void usage() {
    assertThat(OpenAiResponseMapper.usage(new JsonObject("{\"prompt_tokens\":5,\"completion_tokens\":7,"
        + "\"prompt_tokens_details\":null,\"completion_tokens_details\":{\"reasoning_tokens\":4}}")))
        .isEqualTo(new io.tollgate.api.chat.Usage(5, 7, 0, 4, false));
  }
}
