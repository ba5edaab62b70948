package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.OpenAiPreset;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.Await;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.TestCalls;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each preset against a loopback server that reproduces its server's quirk: the request it
 * expects (or refuses) and the stream it sends back, as that server documents or is known to do.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("OpenAI-compatible presets, each against a loopback server with its server's quirk")
class PresetsTest {

  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);

  record Received(MultiMap headers, JsonObject body) {
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  /** How the server answers the current test's request. */
  private volatile BiConsumer<JsonObject, HttpServerResponse> answer;
  private String baseUrl;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    HttpServer server = Await.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject body = b.toJsonObject();
      received.add(new Received(req.headers(), body));
      answer.accept(body, req.response());
    })).listen(0, "127.0.0.1"));
    baseUrl = "http://127.0.0.1:" + server.actualPort() + "/v1";
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private static void sse(HttpServerResponse response, String... events) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    for (String e : events) {
      response.write(e.startsWith(":") ? e + "\n\n" : "data: " + e + "\n\n");
    }
    response.end();
  }

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  private DeploymentConfig deployment(OpenAiPreset preset, Map<String, String> headers) {
    return new DeploymentConfig("dep-" + (preset == null ? "plain" : preset.wire()), "openai", baseUrl, "sk-preset",
        "m", null, null, TIMEOUTS, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, preset, headers);
  }

  /** A client that asked with max_completion_tokens, as OpenAI's SDKs now do. */
  private List<StreamChunk> run(DeploymentConfig d) {
    ChatRequest chat = ChatRequest.builder("gpt-test", TestCalls.MESSAGES).stream(true).includeUsage(true)
        .maxCompletionTokens(50).build();
    UpstreamCall call = TestCalls.call(d, chat, edge.streamAddress());
    await(edge.call("openai", call));
    return await(edge.end(call.requestId()));
  }

  private static List<ChoiceDelta> deltas(List<StreamChunk> chunks) {
    return EdgeHarness.events(chunks).stream().flatMap(List::stream).toList();
  }

  private static String text(List<StreamChunk> chunks) {
    return deltas(chunks).stream().map(ChoiceDelta::content).filter(Objects::nonNull).collect(Collectors.joining());
  }

  private static String reasoning(List<StreamChunk> chunks) {
    return deltas(chunks).stream().filter(d -> d.reasoning() != null).map(d -> d.reasoning().text())
        .collect(Collectors.joining());
  }

  @Test
  @DisplayName("vllm: the budget goes as max_tokens, usage is asked for, reasoning_content from its reasoning parser is reasoning")
  void vllm() {
    answer = (body, r) -> sse(r, chunk("{\"role\":\"assistant\",\"reasoning_content\":\"Think.\"}", null),
        chunk("{\"content\":\"Hi\"}", "stop"),
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,"
            + "\"completion_tokens\":3,\"total_tokens\":14}}", "[DONE]");

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.VLLM, null));

    JsonObject sent = received.get(0).body();
    assertThat(sent.getInteger("max_tokens")).isEqualTo(50);
    assertThat(sent.containsKey("max_completion_tokens")).isFalse();
    assertThat(sent.getJsonObject("stream_options")).isEqualTo(new JsonObject().put("include_usage", true));
    assertThat(reasoning(chunks)).isEqualTo("Think.");
    assertThat(text(chunks)).isEqualTo("Hi");
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(11, 3, 0, 0, false));
  }

  @Test
  @DisplayName("ollama: a server that ignores the usage request still gets the call billed, its usage counted; 'reasoning' is reasoning")
  void ollama() {
    answer = (body, r) -> sse(r, chunk("{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Hmm.\"}", null),
        chunk("{\"content\":\"Hello there\"}", null), chunk("{}", "stop"), "[DONE]");

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.OLLAMA, null));

    assertThat(received.get(0).body().getInteger("max_tokens")).isEqualTo(50);
    assertThat(reasoning(chunks)).isEqualTo("Hmm.");
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage().estimated()).as("counted, not reported").isTrue();
    assertThat(end.usage().promptTokens()).isEqualTo(TestCalls.ESTIMATED_PROMPT_TOKENS);
    assertThat(end.usage().completionTokens()).isPositive();
  }

  @Test
  @DisplayName("openrouter: X-Title by default, HTTP-Referer and overrides from the deployment's headers; its keep-alive comments are skipped")
  void openrouter() {
    answer = (body, r) -> sse(r, ": OPENROUTER PROCESSING", ": OPENROUTER PROCESSING",
        chunk("{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Plan.\"}", null),
        chunk("{\"content\":\"Yo\"}", "stop"),
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":2,\"total_tokens\":11}}", "[DONE]");

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.OPENROUTER, Map.of("HTTP-Referer", "https://app.example")));

    MultiMap h = received.get(0).headers();
    assertThat(h.get("HTTP-Referer")).isEqualTo("https://app.example");
    assertThat(h.get("X-Title")).isEqualTo("Tollgate");
    assertThat(h.get("Authorization")).isEqualTo("Bearer sk-preset");
    assertThat(reasoning(chunks)).isEqualTo("Plan.");
    assertThat(text(chunks)).isEqualTo("Yo");
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(9, 2, 0, 0, false));

    run(deployment(OpenAiPreset.OPENROUTER, Map.of("x-title", "My App")));
    assertThat(received.get(1).headers().getAll("X-Title")).as("the deployment's header replaces the preset's")
        .containsExactly("My App");
  }

  @Test
  @DisplayName("groq: the budget goes as max_completion_tokens and the usage Groq puts in x_groq is read")
  void groq() {
    answer = (body, r) -> sse(r, chunk("{\"role\":\"assistant\",\"content\":\"Fast\"}", null),
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_01\",\"usage\":{\"prompt_tokens\":15,"
            + "\"completion_tokens\":1,\"total_tokens\":16}}}", "[DONE]");

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.GROQ, null));

    assertThat(received.get(0).body().getInteger("max_completion_tokens")).isEqualTo(50);
    assertThat(received.get(0).body().containsKey("max_tokens")).isFalse();
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(15, 1, 0, 0, false));
  }

  @Test
  @DisplayName("deepseek: reasoning_content is reasoning and prompt_cache_hit_tokens are cached tokens")
  void deepseek() {
    answer = (body, r) -> sse(r, chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Why.\"}", null),
        chunk("{\"content\":\"Because\"}", "stop"),
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,"
            + "\"completion_tokens\":20,\"total_tokens\":120,\"prompt_cache_hit_tokens\":64,"
            + "\"prompt_cache_miss_tokens\":36,\"completion_tokens_details\":{\"reasoning_tokens\":12}}}", "[DONE]");

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.DEEPSEEK, null));

    assertThat(received.get(0).body().getInteger("max_tokens")).isEqualTo(50);
    assertThat(reasoning(chunks)).isEqualTo("Why.");
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(100, 20, 64, 12, false));
  }

  @Test
  @DisplayName("mistral: its server refuses stream_options (422 extra_forbidden); the preset does not send it and reads the usage Mistral sends unasked")
  void mistral() {
    answer = (body, r) -> {
      if (body.containsKey("stream_options")) {
        r.setStatusCode(422).putHeader("content-type", "application/json").end("{\"object\":\"error\",\"message\":"
            + "{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\",\"stream_options\",\"include_usage\"],"
            + "\"msg\":\"Extra inputs are not permitted\",\"input\":true}]},\"type\":\"invalid_request_error\"}");
        return;
      }
      sse(r, chunk("{\"role\":\"assistant\",\"content\":\"Bonjour\"}", null),
          "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,"
              + "\"total_tokens\":10}}", "[DONE]");
    };

    ReplyException plain = (ReplyException) awaitFailure(edge.call("openai",
        TestCalls.call(deployment(null, null), TestCalls.chat(10, null), edge.streamAddress())));
    assertThat(ErrorCode.fromWire(plain.failureCode())).as("without the preset").isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.MISTRAL, null));

    assertThat(received.get(1).body().containsKey("stream_options")).isFalse();
    assertThat(received.get(1).body().getInteger("max_tokens")).isEqualTo(50);
    assertThat(text(chunks)).isEqualTo("Bonjour");
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(8, 2, 0, 0, false));
  }

  @Test
  @DisplayName("together: no stream_options sent; the usage in its last chunk, beside the finish reason, is read")
  void together() {
    answer = (body, r) -> sse(r, chunk("{\"role\":\"assistant\",\"content\":\"Ciao\"}", null),
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"text\":\"\",\"delta\":"
            + "{\"content\":\"\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,"
            + "\"total_tokens\":8}}", "[DONE]");

    List<StreamChunk> chunks = run(deployment(OpenAiPreset.TOGETHER, null));

    assertThat(received.get(0).body().containsKey("stream_options")).isFalse();
    assertThat(received.get(0).body().getInteger("max_tokens")).isEqualTo(50);
    assertThat(text(chunks)).isEqualTo("Ciao");
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(7, 1, 0, 0, false));
  }

  @Test
  @DisplayName("the generic headers map reaches any provider's upstream, the provider's auth header still its own")
  void genericHeaders() {
    answer = (body, r) -> sse(r, chunk("{\"role\":\"assistant\",\"content\":\"ok\"}", "stop"), "[DONE]");
    DeploymentConfig d = deployment(null, Map.of("X-Tenant-Route", "blue", "Authorization", "Bearer nope"));

    run(d);

    MultiMap h = received.get(0).headers();
    assertThat(h.get("X-Tenant-Route")).isEqualTo("blue");
    assertThat(h.getAll("Authorization")).containsExactly("Bearer sk-preset");
    assertThat(h.get("content-type")).isEqualTo("application/json");
  }
}
