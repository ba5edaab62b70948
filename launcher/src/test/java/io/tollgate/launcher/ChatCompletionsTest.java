package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Chat completions through one gateway JVM, with the OpenAI Java SDK as the client")
class ChatCompletionsTest {

  static Vertx upstreams;
  static FakeOpenAiUpstream ok;
  static FakeOpenAiUpstream failing;
  static Tollgate gateway;
  static OpenAIClient client;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    upstreams = Vertx.vertx();
    ok = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.STREAM);
    failing = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.FAIL_500);
    int refused;
    try (ServerSocket s = new ServerSocket(0)) {
      refused = s.getLocalPort();
    }
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: gpt-test
            deployments:
              - id: primary
                provider: openai
                base_url: %1$s
                api_key: ${UPSTREAM_KEY}
                upstream_model: gpt-4o-mini
          - name: failover
            deployments:
              - {id: broken, provider: openai, base_url: %2$s, priority: 0}
              - {id: healthy, provider: openai, base_url: %1$s, api_key: "${UPSTREAM_KEY}", priority: 1}
          - name: all-down
            routing: {retries: 0}
            deployments:
              - {id: down-500, provider: openai, base_url: %2$s, priority: 0}
              - {id: down-refused, provider: openai, base_url: "http://127.0.0.1:%3$d/v1", priority: 1}
          - name: mock-model
            aliases: [mock-alias]
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 8}}
        """.formatted(ok.baseUrl(), failing.baseUrl(), refused)));
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello there");
  }

  @Test
  @DisplayName("a non-streaming call returns the upstream's answer and exact usage")
  void nonStreaming() {
    ChatCompletion c = client.chat().completions().create(params("gpt-test").build());
    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).message().content()).contains("Hello! How can I help you today?");
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(c.usage()).isPresent();
    assertThat(c.usage().get().promptTokens()).isEqualTo(19);
    assertThat(c.usage().get().completionTokens()).isEqualTo(10);
    assertThat(c.model()).isEqualTo("gpt-test");
    JsonObject upstreamBody = ok.bodies.get(ok.bodies.size() - 1);
    assertThat(upstreamBody.getString("model")).isEqualTo("gpt-4o-mini");
    assertThat(ok.authorizations.get(ok.authorizations.size() - 1)).isEqualTo("Bearer " + FakeOpenAiUpstream.UPSTREAM_KEY);
  }

  @Test
  @DisplayName("a streaming call relays every chunk in order and ends with the usage chunk")
  void streaming() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        params("gpt-test").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    for (ChatCompletionChunk c : chunks) {
      c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
    }
    assertThat(text.toString()).isEqualTo("Hello! How can I help you today?");
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isPresent();
    assertThat(last.usage().get().totalTokens()).isEqualTo(29);
    assertThat(chunks.stream().filter(c -> c.usage().isPresent())).hasSize(1);
  }

  @Test
  @DisplayName("the raw stream is OpenAI SSE ending in data: [DONE], without a usage chunk unless asked")
  void rawStreamEndsWithDone() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"mock-alias\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        TestGateway.KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(r.headers().firstValue("x-tollgate-route")).hasValue("mock-1");
    String[] events = r.body().split("\n\n");
    assertThat(events[events.length - 1]).isEqualTo("data: [DONE]");
    assertThat(r.body()).doesNotContain("\"usage\":{");
    assertThat(events).hasSize(8 + 1 + 1);
  }

  @Test
  @DisplayName("x-request-id is echoed when the client sends one, and generated when it does not")
  void requestId() throws Exception {
    HttpResponse<String> mine = http.send(HttpRequest.newBuilder(uri("/v1/models"))
        .header("authorization", "Bearer " + TestGateway.KEY).header("x-request-id", "client-id-42").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(mine.headers().firstValue("x-request-id")).hasValue("client-id-42");
    HttpResponse<String> theirs = post("{\"model\":\"mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        TestGateway.KEY);
    assertThat(theirs.headers().firstValue("x-request-id")).hasValueSatisfying(v -> assertThat(v).isNotBlank());
  }

  @Test
  @DisplayName("an unknown model is 404 model_not_found")
  void unknownModel() {
    assertThatThrownBy(() -> client.chat().completions().create(params("no-such-model").build()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.code()).hasValue("model_not_found");
        });
  }

  @Test
  @DisplayName("a wrong API key is 401 and a missing one too")
  void badKey() throws Exception {
    OpenAIClient wrong = TestGateway.openAi(gateway.httpPort(), "tg-wrong");
    assertThatThrownBy(() -> wrong.chat().completions().create(params("gpt-test").build()))
        .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
    HttpResponse<String> none = post("{}", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(none.body()).getJsonObject("error").getString("code")).isEqualTo("missing_api_key");
  }

  @Test
  @DisplayName("malformed JSON is 400 invalid_json, an invalid field is 400 naming the field")
  void malformed() throws Exception {
    HttpResponse<String> r = post("{\"model\": \"gpt-test\", \"messages\": [", TestGateway.KEY);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("invalid_json");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");

    assertThatThrownBy(() -> client.chat().completions().create(params("gpt-test").temperature(7.0).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("temperature"));
  }

  @Test
  @DisplayName("a body over the limit is 413 with the error envelope")
  void tooLarge() throws Exception {
    String big = "x".repeat(5 * 1024 * 1024);
    HttpResponse<String> r = post("{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}",
        TestGateway.KEY);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("request_too_large");
  }

  @Test
  @DisplayName("an upstream 500 fails over to the next deployment before the first byte")
  void failover() {
    int failedBefore = failing.requests();
    var raw = client.chat().completions().withRawResponse().create(params("failover").build());
    ChatCompletion c = raw.parse();
    assertThat(c.choices().get(0).message().content()).contains("Hello! How can I help you today?");
    assertThat(raw.headers().values("x-tollgate-route")).containsExactly("healthy");
    assertThat(raw.headers().values("x-tollgate-attempts")).containsExactly("2");
    assertThat(failing.requests()).isEqualTo(failedBefore + 1);
  }

  @Test
  @DisplayName("when every deployment is down the client gets 502 with each attempt listed")
  void allDown() throws Exception {
    assertThatThrownBy(() -> client.chat().completions().create(params("all-down").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(502);
          assertThat(e.code()).hasValue("upstream_error");
        });
    HttpResponse<String> r = post("{\"model\":\"all-down\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        TestGateway.KEY);
    var attempts = new JsonObject(r.body()).getJsonObject("error").getJsonArray("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.getJsonObject(0).getString("deployment")).isEqualTo("down-500");
    assertThat(attempts.getJsonObject(0).getString("code")).isEqualTo("upstream_error");
    assertThat(attempts.getJsonObject(1).getString("deployment")).isEqualTo("down-refused");
    assertThat(attempts.getJsonObject(1).getString("code")).isEqualTo("upstream_unreachable");
    assertThat(attempts.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("deployment", "code", "ms");
    assertThat(r.body()).as("no upstream address or upstream words reach the client")
        .doesNotContain("127.0.0.1", "The server had an error");
  }

  @Test
  @DisplayName("GET /v1/models lists models and aliases")
  void models() {
    var ids = client.models().list().items().stream().map(m -> m.id()).toList();
    assertThat(ids).contains("gpt-test", "failover", "mock-model", "mock-alias");
    assertThat(client.models().retrieve("mock-alias").id()).isEqualTo("mock-alias");
  }

  @Test
  @DisplayName("unknown paths are 404 with the error envelope")
  void unknownPath() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v2/nothing")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("not_found");
  }

  static HttpResponse<String> post(String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.httpPort() + path);
  }
}
