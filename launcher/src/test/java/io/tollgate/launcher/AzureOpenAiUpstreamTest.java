package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The OpenAI Java SDK through the gateway to an Azure OpenAI upstream")
class AzureOpenAiUpstreamTest {

  private static final Path AZURE = Path.of("src/test/resources/conformance/openai-chat-to-azure-openai");
  private static final String DEPLOYMENT_PATH = "/openai/deployments/gpt-4o-prod/chat/completions";

  static Vertx upstreams;
  static GoldenUpstream azure;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    azure = GoldenUpstream.start(upstreams);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: gpt-azure
            deployments:
              - id: azure-1
                provider: azure-openai
                base_url: "%s"
                upstream_model: gpt-4o-prod
                api_version: "2024-10-21"
                api_key: "${UPSTREAM_KEY}"
        """.formatted(azure.baseUrl())), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null);
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static void answer(int status, String type, Path file) throws IOException {
    azure.answer(status, type, Buffer.buffer(Files.readAllBytes(file)));
  }

  @Test
  @DisplayName("a stream: Azure's chunks (prompt filter results first) reach the SDK; deployment URL and api-key header upstream")
  void stream() throws IOException {
    answer(200, "text/event-stream", AZURE.resolve("text-stream/upstream-response.sse"));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-azure").addUserMessage("Say hello").build())) {
      s.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Hello, tollgate!");
    GoldenUpstream.Received r = azure.received.get(0);
    assertThat(r.path()).isEqualTo(DEPLOYMENT_PATH);
    assertThat(r.query()).isEqualTo("api-version=2024-10-21");
    assertThat(r.headers().get("api-key")).isEqualTo(FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(r.headers().get("authorization")).isNull();
  }

  @Test
  @DisplayName("a prompt refused by Azure's content filter is a BadRequestException that says so")
  void promptFiltered() throws IOException {
    answer(400, "application/json", AZURE.resolve("prompt-filtered/upstream-response.json"));
    assertThatThrownBy(() -> client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-azure").addUserMessage("Something refused").build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("content filter"));
  }

  @Test
  @DisplayName("a tool-call round trip: Azure's streamed call reaches the SDK whole; the result goes back in OpenAI's shape")
  void toolRoundTrip() throws IOException {
    answer(200, "text/event-stream", Path.of("src/test/resources/fixtures/openai/chat-stream-tools.sse"));
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("gpt-azure")
        .addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                .build())
            .build()).build());
    ChatCompletion first = client.chat().completions().create(params.build());
    ChatCompletion.Choice choice = first.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().get().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");

    answer(200, "text/event-stream", AZURE.resolve("text-stream/upstream-response.sse"));
    ChatCompletion second = client.chat().completions().create(params.addMessage(choice.message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("21 °C, sunny").build())
        .build());

    assertThat(second.choices().get(0).message().content()).contains("Hello, tollgate!");
    var messages = azure.received.get(0).body().getJsonArray("messages");
    assertThat(messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo(call.id());
    assertThat(messages.getJsonObject(2).getString("role")).isEqualTo("tool");
    assertThat(messages.getJsonObject(2).getString("tool_call_id")).isEqualTo(call.id());
    assertThat(azure.received.get(0).path()).isEqualTo(DEPLOYMENT_PATH);
  }
}
