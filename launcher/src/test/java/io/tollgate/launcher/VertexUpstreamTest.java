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
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The OpenAI Java SDK through the gateway to a Vertex AI upstream (service-account key, loopback token endpoint)")
class VertexUpstreamTest {

  @TempDir
  static Path secrets;
  static Vertx upstreams;
  static FakeVertexUpstream vertex;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    upstreams = Vertx.vertx();
    vertex = FakeVertexUpstream.start(upstreams);
    Path key = vertex.writeKeyFile(secrets);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: gemini-flash
            deployments:
              - {id: vertex-1, provider: vertex, base_url: "%1$s", upstream_model: gemini-2.5-flash,
                 api_key: "file:%2$s", location: europe-west4}
          - name: vertex-embed
            deployments:
              - {id: vertex-emb-1, provider: vertex, base_url: "%1$s", upstream_model: text-embedding-005,
                 api_key: "file:%2$s", location: europe-west4}
        """.formatted(vertex.baseUrl(), key)), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null);
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  @BeforeEach
  void clear() {
    vertex.received.clear();
  }

  private static ChatCompletionCreateParams.Builder weather() {
    return ChatCompletionCreateParams.builder().model("gemini-flash").addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build())
            .build()).build());
  }

  @Test
  @DisplayName("a completion: the key file traded for a token, Vertex's regional path, Gemini's text joined, its usage")
  void completion() {
    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gemini-flash").addSystemMessage("You are terse.").addUserMessage("Say hello").build());

    assertThat(c.choices().get(0).message().content()).contains("Hello, tollgate!");
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(c.usage().get().promptTokens()).isEqualTo(9);
    assertThat(c.usage().get().completionTokens()).isEqualTo(5);
    FakeVertexUpstream.Received r = vertex.received.get(0);
    assertThat(r.path()).isEqualTo("/v1/projects/proj-1/locations/europe-west4/publishers/google/models/"
        + "gemini-2.5-flash:streamGenerateContent");
    assertThat(r.query()).isEqualTo("alt=sse");
    assertThat(r.headers().get("authorization")).isEqualTo("Bearer ya29.test-1");
    assertThat(r.headers().contains("x-goog-api-key")).isFalse();
    assertThat(vertex.tokensIssued.get()).as("one token for every call of this node").isEqualTo(1);
    assertThat(r.body().getJsonObject("systemInstruction")).isEqualTo(new JsonObject("{\"parts\":[{\"text\":\"You are terse.\"}]}"));
  }

  @Test
  @DisplayName("a stream: the SDK reads Vertex's pieces as chunks and the final usage")
  void stream() {
    StringBuilder text = new StringBuilder();
    long[] total = {0};
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gemini-flash").addUserMessage("Say hello")
            .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                .includeUsage(true).build())
            .build())) {
      s.stream().forEach(chunk -> {
        chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> total[0] = u.totalTokens());
      });
    }
    assertThat(text.toString()).isEqualTo("Hello, tollgate!");
    assertThat(total[0]).isEqualTo(14);
  }

  @Test
  @DisplayName("a tool-call round trip: Vertex's functionCall reaches the SDK as a tool call, the SDK's tool result goes back as a functionResponse")
  void toolRoundTrip() {
    ChatCompletion first = client.chat().completions().create(weather().build());
    ChatCompletion.Choice choice = first.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().get().get(0).asFunction();
    assertThat(call.id()).isEqualTo("call_" + FakeGeminiUpstream.RESPONSE_ID + "_0");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("location", "Paris"));
    JsonObject declared = vertex.received.get(0).body().getJsonArray("tools").getJsonObject(0)
        .getJsonArray("functionDeclarations").getJsonObject(0);
    assertThat(declared.getJsonObject("parameters").containsKey("additionalProperties"))
        .as("a keyword Gemini refuses is not sent").isFalse();

    ChatCompletion second = client.chat().completions().create(weather()
        .addMessage(choice.message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
            .content("{\"temperature\":21,\"conditions\":\"sunny\"}").build())
        .build());

    assertThat(second.choices().get(0).message().content()).contains("It is sunny in Paris, 21 °C.");
    JsonObject sent = vertex.received.get(1).body();
    assertThat(sent.getJsonArray("contents")).isEqualTo(new JsonObject("""
        {"c":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"location":"Paris"}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"get_weather",
                  "response":{"temperature":21,"conditions":"sunny"}}}]}]}""").getJsonArray("c"));
  }

  @Test
  @DisplayName("embeddings: :predict with instances and outputDimensionality, on the same token; vectors in order, Vertex's token counts")
  void embeddings() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("vertex-embed")
        .inputOfArrayOfStrings(List.of("hello", "tollgate!")).dimensions(3).build());

    assertThat(r.data()).hasSize(2);
    assertThat(r.data().get(1).embedding()).containsExactly(1.75f, 1.875f, 2.0f);
    assertThat(r.usage().promptTokens()).as("token_count summed: 5 + 9").isEqualTo(14);
    FakeVertexUpstream.Received sent = vertex.received.get(0);
    assertThat(sent.path()).isEqualTo("/v1/projects/proj-1/locations/europe-west4/publishers/google/models/"
        + "text-embedding-005:predict");
    assertThat(sent.headers().get("authorization")).startsWith("Bearer ya29.test-");
    assertThat(sent.body()).isEqualTo(new JsonObject("""
        {"instances":[{"content":"hello"},{"content":"tollgate!"}],"parameters":{"outputDimensionality":3}}"""));
  }
}
