package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Java SDK's Responses API (as Codex and the Agents SDK use it) reaching an Anthropic
 * Messages upstream on loopback: the answer is read with the SDK's own types, and what the
 * upstream received is checked against Anthropic's documented request shape.
 */
@DisplayName("Responses API with the OpenAI SDK, Anthropic upstream")
class ResponsesToAnthropicTest {

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

  private static String outputText(Response r) {
    return r.output().stream().flatMap(i -> i.message().stream())
        .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
        .map(t -> t.text()).collect(Collectors.joining());
  }

  private static final FunctionTool WEATHER = FunctionTool.builder().name("get_weather").strict(false)
      .description("Current weather")
      .parameters(FunctionTool.Parameters.builder()
          .putAdditionalProperty("type", JsonValue.from("object"))
          .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
          .build())
      .build();

  @Test
  @DisplayName("text: instructions become Anthropic's system, the answer one message with Anthropic's usage")
  void text() {
    Response r = client.responses().create(ResponseCreateParams.builder().model("claude")
        .instructions("Be friendly.").input("Say hello").store(false).build());

    assertThat(r.status()).hasValue(ResponseStatus.COMPLETED);
    assertThat(outputText(r)).isEqualTo("Hello!");
    assertThat(r.usage().get().inputTokens()).isEqualTo(25);
    assertThat(r.usage().get().outputTokens()).isEqualTo(15);
    assertThat(r.usage().get().totalTokens()).isEqualTo(40);

    FakeAnthropicUpstream.Received call = lastCall();
    assertThat(call.path()).isEqualTo("/v1/messages");
    assertThat(call.headers().get("x-api-key")).isEqualTo(FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(call.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(call.body()).isEqualTo(new JsonObject("""
        {"model":"claude-sonnet-4-5","system":"Be friendly.","messages":[{"role":"user","content":"Say hello"}],
         "max_tokens":1024,"stream":true}"""));
  }

  @Test
  @DisplayName("streaming: Anthropic's text deltas arrive as output_text deltas, then a completed response with usage")
  void streaming() {
    List<String> deltas = new ArrayList<>();
    List<Long> sequence = new ArrayList<>();
    Response completed = null;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model("claude").input("Say hello").store(false).build())) {
      for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
        e.outputTextDelta().ifPresent(d -> {
          deltas.add(d.delta());
          sequence.add(d.sequenceNumber());
        });
        if (e.completed().isPresent()) {
          completed = e.completed().get().response();
        }
      }
    }
    assertThat(deltas).containsExactly("Hel", "lo!");
    assertThat(sequence).isSorted();
    assertThat(completed).isNotNull();
    assertThat(outputText(completed)).isEqualTo("Hello!");
    assertThat(completed.usage().get().totalTokens()).isEqualTo(40);
  }

  @Test
  @DisplayName("a streamed function call: input_json_delta pieces become argument deltas joining to the input")
  void streamedFunctionCall() {
    List<String> pieces = new ArrayList<>();
    String doneArguments = null;
    Response completed = null;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model("claude").input("Weather in Paris?").addTool(WEATHER)
            .store(false).build())) {
      for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
        e.functionCallArgumentsDelta().ifPresent(d -> pieces.add(d.delta()));
        if (e.functionCallArgumentsDone().isPresent()) {
          doneArguments = e.functionCallArgumentsDone().get().arguments();
        }
        if (e.completed().isPresent()) {
          completed = e.completed().get().response();
        }
      }
    }
    assertThat(pieces).containsExactly("{\"location\":", " \"Paris, France\"}");
    assertThat(new JsonObject(doneArguments)).isEqualTo(new JsonObject().put("location", "Paris, France"));
    assertThat(completed).isNotNull();
    ResponseFunctionToolCall call = completed.output().stream().flatMap(i -> i.functionCall().stream())
        .findFirst().orElseThrow();
    assertThat(call.callId()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject().put("location", "Paris, France"));
  }

  @Test
  @DisplayName("function-call round trip: the call comes back as tool_use, its output as a tool_result in a user turn")
  void functionCallRoundTrip() {
    Response first = client.responses().create(ResponseCreateParams.builder().model("claude")
        .input("Weather in Paris?").addTool(WEATHER).store(false).build());
    ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst()
        .orElseThrow();
    assertThat(call.callId()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject().put("location", "Paris, France"));
    assertThat(lastCall().body().getJsonArray("tools")).isEqualTo(new JsonArray().add(new JsonObject("""
        {"name":"get_weather","description":"Current weather",
         "input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}""")));

    List<ResponseInputItem> items = new ArrayList<>();
    items.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
        .role(EasyInputMessage.Role.USER).content("Weather in Paris?").build()));
    items.add(ResponseInputItem.ofFunctionCall(call));
    items.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output("18C and sunny").build()));
    Response second = client.responses().create(ResponseCreateParams.builder().model("claude")
        .inputOfResponse(items).addTool(WEATHER).store(false).build());

    assertThat(outputText(second)).isEqualTo("The weather tool says: 18C and sunny");
    assertThat(lastCall().body().getJsonArray("messages")).isEqualTo(new JsonArray("""
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6",
           "name":"get_weather","input":{"location":"Paris, France"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6",
           "content":"18C and sunny"}]}]"""));
  }
}
