package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Java SDK's Responses API against the gateway, with OpenAI chat upstreams on
 * loopback and the node's embedded PostgreSQL keeping stored responses.
 */
@DisplayName("Responses API with the OpenAI SDK, OpenAI chat upstream")
class ResponsesApiTest {

  static Vertx upstreams;
  static FakeOpenAiUpstream text;
  static FakeOpenAiUpstream tools;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    text = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.STREAM);
    tools = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.STREAM_TOOLS);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: gpt-text
            deployments:
              - {id: text-1, provider: openai, base_url: %s, upstream_model: gpt-4o-mini}
          - name: gpt-tools
            deployments:
              - {id: tools-1, provider: openai, base_url: %s, upstream_model: gpt-4o-mini}
        """.formatted(text.baseUrl(), tools.baseUrl())));
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static String outputText(Response r) {
    return r.output().stream().flatMap(i -> i.message().stream())
        .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
        .map(t -> t.text()).collect(Collectors.joining());
  }

  private static JsonObject lastUpstreamBody(FakeOpenAiUpstream upstream) {
    return upstream.bodies.get(upstream.bodies.size() - 1);
  }

  @Test
  @DisplayName("text: instructions and input in, one message with output_text and usage out")
  void text() {
    Response r = client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .instructions("Be friendly.").input("Say hello").store(false).build());
    assertThat(r.id()).startsWith("resp_");
    assertThat(r.status()).hasValue(com.openai.models.responses.ResponseStatus.COMPLETED);
    assertThat(outputText(r)).isEqualTo("Hello! How can I help you today?");
    assertThat(r.usage().get().inputTokens()).isEqualTo(19);
    assertThat(r.usage().get().outputTokens()).isEqualTo(10);
    assertThat(r.usage().get().totalTokens()).isEqualTo(29);
    assertThat(lastUpstreamBody(text).getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Be friendly."))
        .add(new JsonObject().put("role", "user").put("content", "Say hello")));
  }

  @Test
  @DisplayName("streaming: the SDK reads text deltas in order and a completed event with the whole response")
  void streaming() {
    List<String> deltas = new ArrayList<>();
    Response completed = null;
    List<Long> sequence = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model("gpt-text").input("Say hello").store(false).build())) {
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
    assertThat(String.join("", deltas)).isEqualTo("Hello! How can I help you today?");
    assertThat(sequence).isSorted();
    assertThat(completed).isNotNull();
    assertThat(outputText(completed)).isEqualTo("Hello! How can I help you today?");
    assertThat(completed.usage().get().totalTokens()).isEqualTo(29);
  }

  @Test
  @DisplayName("function-call round trip: a function_call item out, its function_call_output back in as a tool message")
  void functionCallRoundTrip() {
    FunctionTool weather = FunctionTool.builder().name("get_weather").strict(false)
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
            .build())
        .build();
    Response first = client.responses().create(ResponseCreateParams.builder().model("gpt-tools")
        .input("Weather in Paris?").addTool(weather).store(false).build());
    ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst()
        .orElseThrow();
    assertThat(call.callId()).isEqualTo("call_DdmO9pD3xa9XTPNJ32zg2hcA");
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject().put("location", "Paris, France"));
    JsonObject toolSent = lastUpstreamBody(tools).getJsonArray("tools").getJsonObject(0);
    assertThat(toolSent.getJsonObject("function").getString("name")).isEqualTo("get_weather");

    List<ResponseInputItem> items = new ArrayList<>();
    items.add(ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
        .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("Weather in Paris?").build()));
    items.add(ResponseInputItem.ofFunctionCall(call));
    items.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output("{\"temp_c\":18}").build()));
    Response second = client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .inputOfResponse(items).addTool(weather).store(false).build());
    assertThat(outputText(second)).isEqualTo("Hello! How can I help you today?");
    JsonArray messages = lastUpstreamBody(text).getJsonArray("messages");
    assertThat(messages).hasSize(3);
    JsonObject assistant = messages.getJsonObject(1);
    assertThat(assistant.getString("role")).isEqualTo("assistant");
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo(call.callId());
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool")
        .put("tool_call_id", call.callId()).put("content", "{\"temp_c\":18}"));
  }

  @Test
  @DisplayName("store on: previous_response_id continues the conversation; GET returns it, DELETE removes it")
  void previousResponseId() throws Exception {
    Response first = client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .instructions("First instructions.").input("My name is Ada.").build());
    assertThat(first._additionalProperties().get("store")).isEqualTo(JsonValue.from(true));
    assertThat(first.id()).as("a stored response's id has a random part past the request id")
        .matches("resp_[0-9a-z]+[0-9a-f]{24}");
    // The store is written after the answer went out: wait (with a deadline) until it is readable.
    Response fetched = awaitStored(first.id());
    assertThat(fetched.id()).isEqualTo(first.id());
    assertThat(outputText(fetched)).isEqualTo(outputText(first));

    Response second = client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .previousResponseId(first.id()).input("What is my name?").build());
    assertThat(second.previousResponseId()).hasValue(first.id());
    // Instructions are not carried over (as OpenAI documents); input and output of the first turn are.
    assertThat(lastUpstreamBody(text).getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "My name is Ada."))
        .add(new JsonObject().put("role", "assistant").put("content", "Hello! How can I help you today?"))
        .add(new JsonObject().put("role", "user").put("content", "What is my name?")));

    client.responses().delete(first.id());
    assertThatThrownBy(() -> client.responses().retrieve(first.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .previousResponseId(first.id()).input("again").build()))
        .isInstanceOfSatisfying(NotFoundException.class,
            e -> {
          assertThat(e.getMessage()).contains(first.id());
          assertThat(e.param()).hasValue("previous_response_id");
        });
  }

  @Test
  @DisplayName("a bad request is a 400 in OpenAI's envelope naming the field")
  void badRequest() {
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .input("x").maxOutputTokens(0).store(false).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("max_output_tokens"));
  }

  @Test
  @DisplayName("a WebSocket upgrade on /v1/responses is refused at once with a 400 in OpenAI's envelope")
  void webSocketRefused() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("GET /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + TestGateway.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = readAnswer(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 400");
      JsonObject error = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("message")).contains("WebSocket");
    }
  }

  /** One HTTP/1.1 answer with a content-length (the connection may stay open). */
  private static String readAnswer(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static Response awaitStored(String id) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        return client.responses().retrieve(id);
      } catch (NotFoundException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(20);
      }
    }
  }
}
