package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.tollgate.api.Addresses;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Anthropic Java SDK against /v1/messages, with an OpenAI upstream")
class AnthropicMessagesTest {

  private static final Path CASES = Path.of("src/test/resources/conformance/anthropic-to-openai");
  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  static Vertx vertx;
  static GoldenUpstream upstream;
  static FakeOpenAiUpstream slow;
  static Tollgate gateway;
  static AnthropicClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = GoldenUpstream.start(vertx);
    slow = FakeOpenAiUpstream.start(vertx, FakeOpenAiUpstream.Mode.SLOW_STREAM);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: gpt-proxy
            deployments:
              - {id: openai-1, provider: openai, base_url: "%s/v1", upstream_model: gpt-4o-mini, api_key: "${UPSTREAM_KEY}"}
          - name: slow
            deployments:
              - {id: slow-1, provider: openai, base_url: %s}
        """.formatted(upstream.baseUrl(), slow.baseUrl())), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false,
        "unused", null);
    client = sdk(builder -> builder.apiKey(TestGateway.KEY));
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    vertx.close().await();
  }

  private static AnthropicClient sdk(java.util.function.UnaryOperator<AnthropicOkHttpClient.Builder> auth) {
    return auth.apply(AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.httpPort()).maxRetries(0))
        .build();
  }

  /** The next upstream answer: the OpenAI stream of a conformance case. */
  private static void upstreamAnswers(String conformanceCase) throws Exception {
    upstream.answer(200, "text/event-stream",
        Buffer.buffer(Files.readAllBytes(CASES.resolve(conformanceCase).resolve("upstream-response.sse"))));
  }

  private static MessageCreateParams.Builder params(String text) {
    return MessageCreateParams.builder().model("gpt-proxy").maxTokens(256).addUserMessage(text);
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Current weather")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("city")).build())
        .build();
  }

  @Test
  @DisplayName("text: the SDK gets a message with a text block, end_turn and usage without the cached tokens")
  void text() throws Exception {
    upstreamAnswers("text-json");
    Message m = client.messages().create(params("Say hello").build());

    assertThat(m.id()).startsWith("msg_");
    assertThat(m.content()).hasSize(1);
    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello!");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    // The upstream said 20 prompt tokens of which 8 cached: Anthropic counts them apart.
    assertThat(m.usage().inputTokens()).isEqualTo(12);
    assertThat(m.usage().cacheReadInputTokens()).contains(8L);
    assertThat(m.usage().outputTokens()).isEqualTo(2);
    JsonObject sent = upstream.received.get(0).body();
    assertThat(sent.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(sent.getInteger("max_tokens")).isEqualTo(256);
    assertThat(upstream.received.get(0).headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.UPSTREAM_KEY);
  }

  @Test
  @DisplayName("streaming: the SDK's accumulator builds the same message from the events, final usage from message_delta")
  void streaming() throws Exception {
    upstreamAnswers("text-stream");
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("Say hello").build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Message m = acc.message();
    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello!");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isEqualTo(12);
    assertThat(m.usage().outputTokens()).isEqualTo(2);
  }

  @Test
  @DisplayName("a tool-use round trip: streamed arguments arrive as tool_use input objects, the tool result goes back as an OpenAI tool message")
  void toolRoundTrip() throws Exception {
    upstreamAnswers("tools-stream");
    MessageCreateParams first = params("Weather in Paris and Rome?").addTool(weatherTool()).build();
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first)) {
      stream.stream().forEach(acc::accumulate);
    }
    Message call = acc.message();
    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    List<ToolUseBlock> uses = call.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
    assertThat(uses).extracting(ToolUseBlock::id).containsExactly("call_A", "call_B");
    assertThat(uses.get(0)._input()).isEqualTo(JsonValue.from(Map.of("city", "Paris")));
    assertThat(uses.get(1)._input()).isEqualTo(JsonValue.from(Map.of("city", "Rome")));

    upstreamAnswers("tool-result-turn");
    MessageCreateParams second = params("Weather in Paris and Rome?").addTool(weatherTool())
        .addMessage(call)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("call_A").content("18C, sunny").build()),
            ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("call_B").content("22C").build())))
        .build();
    Message answer = client.messages().create(second);
    assertThat(answer.content().get(0).asText().text()).isEqualTo("It is 18C and sunny in Paris.");

    JsonArray sent = upstream.received.get(0).body().getJsonArray("messages");
    assertThat(sent.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
        .getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(sent.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "call_A")
        .put("content", "18C, sunny"));
    assertThat(sent.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "call_B")
        .put("content", "22C"));
  }

  @Test
  @DisplayName("an image block reaches the OpenAI upstream as a data URL")
  void image() throws Exception {
    upstreamAnswers("image");
    Message m = client.messages().create(MessageCreateParams.builder().model("gpt-proxy").maxTokens(64)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build()),
            ContentBlockParam.ofText(TextBlockParam.builder().text("What is this?").build())))
        .build());
    assertThat(m.content().get(0).asText().text()).isEqualTo("A cat");
    JsonArray parts = upstream.received.get(0).body().getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertThat(parts.getJsonObject(0).getJsonObject("image_url").getString("url")).isEqualTo("data:image/png;base64," + PNG);
  }

  @Test
  @DisplayName("count_tokens answers the gateway's estimate, tools included, without calling the upstream")
  void countTokens() {
    upstream.answer(500, "application/json", Buffer.buffer("{}"));
    long plain = client.messages().countTokens(MessageCountTokensParams.builder().model("gpt-proxy")
        .addUserMessage("Hello there, how are you?").build()).inputTokens();
    long withTool = client.messages().countTokens(MessageCountTokensParams.builder().model("gpt-proxy")
        .addUserMessage("Hello there, how are you?").addTool(weatherTool()).build()).inputTokens();

    assertThat(plain).isEqualTo(ChatRequest.builder("gpt-proxy",
        List.of(ChatMessage.of(io.tollgate.api.chat.Role.USER,
            "Hello there, how are you?"))).build().estimatedPromptTokens());
    assertThat(withTool).isGreaterThan(plain);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  @DisplayName("an unknown model is the SDK's NotFoundException; a wrong key its UnauthorizedException; a Bearer token works too")
  void errorsAndAuth() throws Exception {
    assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("no-such-model")
        .maxTokens(10).addUserMessage("hi").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("not_found_error")
        .hasMessageContaining("no-such-model");
    assertThatThrownBy(() -> sdk(b -> b.apiKey("tg-wrong-key")).messages().create(params("hi").build()))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("authentication_error");

    upstreamAnswers("text-json");
    Message m = sdk(b -> b.authToken(TestGateway.KEY)).messages().create(params("Say hello").build());
    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello!");
  }

  @Test
  @DisplayName("cancellation is shared: an Anthropic client that hangs up mid-stream closes the upstream, the outcome says cancelled")
  void cancelledStreamClosesUpstream() throws Exception {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    var consumer = gateway.vertx().eventBus().<Outcome>consumer(Addresses.OUTCOMES, msg -> {
      if (msg.body().deploymentId().equals("slow-1")) {
        outcome.complete(msg.body());
      }
    });
    consumer.completion().await();

    HttpClientAgent http = vertx.createHttpClient();
    CompletableFuture<Long> closed = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.httpPort())
            .setURI("/v1/messages").putHeader("x-api-key", TestGateway.KEY)
            .putHeader("anthropic-version", "2023-06-01").putHeader("content-type", "application/json"))
        .compose(req -> req.send("{\"model\":\"slow\",\"max_tokens\":1000,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"))
        .onSuccess(resp -> resp.handler(chunk -> {
          if (!closed.isDone() && chunk.toString().contains("content_block_delta")) {
            long now = System.nanoTime();
            resp.request().connection().close();
            closed.complete(now);
          }
        }))
        .onFailure(closed::completeExceptionally);
    long hungUp = closed.get(10, TimeUnit.SECONDS);

    long upstreamClosed = slow.closedAt.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(upstreamClosed - hungUp)).isLessThan(1_000);
    Outcome o = outcome.get(5, TimeUnit.SECONDS);
    assertThat(o.status()).isEqualTo(Outcome.Status.CANCELLED);
    assertThat(o.usage().completionTokens()).isBetween(1L, 399L);
    consumer.unregister();
    http.close();
  }
}
