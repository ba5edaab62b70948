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
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tool calls pass through the gateway, streamed and folded into one completion")
class ToolCallsTest {

  static Vertx upstreams;
  static FakeOpenAiUpstream tools;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    tools = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.STREAM_TOOLS);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: gpt-tools
            deployments:
              - {id: tools-1, provider: openai, base_url: %s, upstream_model: gpt-4o-mini}
        """.formatted(tools.baseUrl())), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null);
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static ChatCompletionCreateParams.Builder params() {
    return ChatCompletionCreateParams.builder().model("gpt-tools").addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                .build())
            .build()).build());
  }

  @Test
  @DisplayName("a non-streaming client gets the whole function call, its arguments joined, finish_reason tool_calls")
  void foldedIntoOneCompletion() {
    ChatCompletion c = client.chat().completions().create(params().build());
    ChatCompletion.Choice choice = c.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).isEmpty();
    ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().get().get(0).asFunction();
    assertThat(call.id()).isEqualTo("call_DdmO9pD3xa9XTPNJ32zg2hcA");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("location", "Paris, France"));
    assertThat(c.usage().get().totalTokens()).isEqualTo(69);

    JsonObject sentUpstream = tools.bodies.get(tools.bodies.size() - 1);
    JsonArray toolsSent = sentUpstream.getJsonArray("tools");
    assertThat(toolsSent).hasSize(1);
    assertThat(toolsSent.getJsonObject(0).getJsonObject("function").getString("name")).isEqualTo("get_weather");
  }

  @Test
  @DisplayName("a streaming client gets the tool-call deltas as OpenAI sends them")
  void streamedDeltas() {
    StringBuilder arguments = new StringBuilder();
    String[] name = {null};
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params().build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> {
        for (var call : calls) {
          assertThat(call.index()).isZero();
          call.function().flatMap(f -> f.name()).ifPresent(n -> name[0] = n);
          call.function().flatMap(f -> f.arguments()).ifPresent(arguments::append);
        }
      })));
    }
    assertThat(name[0]).isEqualTo("get_weather");
    assertThat(new JsonObject(arguments.toString())).isEqualTo(new JsonObject().put("location", "Paris, France"));
  }
}
