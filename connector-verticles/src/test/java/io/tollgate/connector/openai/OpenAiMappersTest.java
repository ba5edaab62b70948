package io.tollgate.connector.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
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
    ChatRequest chat = ChatRequest.builder("public-model", List.of(
            new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.ToolUse("call_1", "f", new RawJson("{}"), null)), null),
            new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_1", List.of(new ContentPart.Text("42")),
                false, null)), null)))
        .maxTokens(64).temperature(0.2).topP(0.9).n(2).stop(List.of("END")).user("u1")
        .tools(List.of(Tool.function("f", null, new RawJson("{\"type\":\"object\"}"))))
        .extra(Map.of("seed", new RawJson("7"), "stream", new RawJson("false"))).build();
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
    assertThat(assistant.getValue("content")).as("a bare tool call has null content").isNull();
    assertThat(json.getInteger("seed")).as("same-dialect extras verbatim").isEqualTo(7);
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_1");
    JsonObject tool = json.getJsonArray("messages").getJsonObject(1);
    assertThat(tool.getString("tool_call_id")).isEqualTo("call_1");
    assertThat(tool.getString("content")).isEqualTo("42");
    assertThat(new JsonObject(Buffer.buffer(json.encode()))).isEqualTo(json);
  }

  @Test
  @DisplayName("max_completion_tokens goes upstream as sent (OpenAI reasoning models refuse max_tokens); "
      + "a deployment's max_tokens_field maps either to the one its server knows")
  void maxTokensAsSent() {
    ChatRequest modern = ChatRequest.builder("m", List.of(ChatMessage.of(Role.USER, "hi"))).maxCompletionTokens(300)
        .build();
    DeploymentConfig asSent = TestCalls.openai("http://x/v1", null, null);
    JsonObject json = OpenAiRequestMapper.toJson(new UpstreamCall("r", 0, "m", asSent, modern, "s", null, null));
    assertThat(json.getInteger("max_completion_tokens")).isEqualTo(300);
    assertThat(json.containsKey("max_tokens")).isFalse();

    ChatRequest legacy = ChatRequest.builder("m", List.of(ChatMessage.of(Role.USER, "hi"))).maxTokens(50).build();
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
