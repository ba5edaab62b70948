package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The OpenAI Java SDK's chat API reaches an Anthropic upstream through the gateway")
class OpenAiChatToAnthropicTest {

  static Vertx upstreams;
  static FakeAnthropicUpstream anthropic;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    anthropic = FakeAnthropicUpstream.start(upstreams);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: claude
            deployments:
              - {id: claude-1, provider: anthropic, base_url: "%s", upstream_model: claude-sonnet-4-5,
                 api_key: "${UPSTREAM_KEY}", default_max_tokens: 1024}
        """.formatted(anthropic.baseUrl())), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null);
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static FakeAnthropicUpstream.Received lastCall() {
    return anthropic.received.get(anthropic.received.size() - 1);
  }

  @Test
  @DisplayName("text: one completion with Anthropic's usage, the system prompt lifted to 'system', the key in x-api-key")
  void text() {
    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("claude")
        .addSystemMessage("You are terse.").addUserMessage("Hello").build());

    assertThat(c.choices().get(0).message().content()).contains("Hello!");
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(c.usage().get().promptTokens()).isEqualTo(25);
    assertThat(c.usage().get().completionTokens()).isEqualTo(15);

    FakeAnthropicUpstream.Received call = lastCall();
    assertThat(call.path()).isEqualTo("/v1/messages");
    assertThat(call.headers().get("x-api-key")).isEqualTo(FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(call.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(call.body()).isEqualTo(new JsonObject("""
        {"model":"claude-sonnet-4-5","system":"You are terse.","messages":[{"role":"user","content":"Hello"}],
         "max_tokens":1024,"stream":true}"""));
  }

  @Test
  @DisplayName("stream: the text in chunks, finish_reason stop, and the usage chunk the client asked for")
  void stream() {
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
    long[] usage = {-1, -1};
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude").addUserMessage("Hello").maxCompletionTokens(50)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunk -> {
        chunk.choices().forEach(ch -> {
          ch.delta().content().ifPresent(text::append);
          ch.finishReason().ifPresent(finishes::add);
        });
        chunk.usage().ifPresent(u -> {
          usage[0] = u.promptTokens();
          usage[1] = u.completionTokens();
        });
      });
    }
    assertThat(text.toString()).isEqualTo("Hello!");
    assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    assertThat(usage).containsExactly(25, 15);
    assertThat(lastCall().body().getInteger("max_tokens")).isEqualTo(50);
  }

  @Test
  @DisplayName("tool call round trip: tool_use comes back as a function call with JSON arguments; its result goes up as a tool_result")
  void toolCallRoundTrip() {
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("claude")
        .addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .description("Current weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                .build())
            .build()).build());

    ChatCompletion first = client.chat().completions().create(params.build());
    ChatCompletion.Choice choice = first.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().get().get(0).asFunction();
    assertThat(call.id()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("location", "Paris, France"));
    assertThat(lastCall().body().getJsonArray("tools")).isEqualTo(new JsonArray("""
        [{"name":"get_weather","description":"Current weather",
          "input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}]"""));

    ChatCompletion second = client.chat().completions().create(params
        .addMessage(choice.message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C and sunny").build())
        .build());

    assertThat(second.choices().get(0).message().content()).contains("The weather tool says: 18C and sunny");
    assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    JsonArray messages = lastCall().body().getJsonArray("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject("""
        {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather",
          "input":{"location":"Paris, France"}}]}"""));
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject("""
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6",
          "content":"18C and sunny"}]}"""));
  }
}
