package io.tollgate.connector.gemini;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.Fixtures;
import io.tollgate.connector.RecordingUpstream;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The Gemini connector streaming from a loopback server speaking the generativelanguage v1beta format")
class GeminiConnectorTest {

  /** Generous: these tests are about mapping, not deadlines, and run on loaded CI machines. */
  static final Timeouts TIMEOUTS = new Timeouts(5_000, 10_000, 10_000, 20_000);
  static final String KEY = "AIzaSy-test-secret-1234";

  private RecordingUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = RecordingUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions())));
  }

  private UpstreamCall call(ChatRequest chat) {
    DeploymentConfig gemini = new DeploymentConfig("dep-gemini", "gemini", upstream.baseUrl() + "/", KEY,
        "gemini-2.5-flash", null, null, TIMEOUTS, null, null, null, null);
    return TestCalls.call(gemini, chat, edge.streamAddress());
  }

  private static String text(List<StreamChunk> chunks) {
    return deltas(chunks).stream().map(ChoiceDelta::content).filter(Objects::nonNull).collect(Collectors.joining());
  }

  private static List<ChoiceDelta> deltas(List<StreamChunk> chunks) {
    return EdgeHarness.events(chunks).stream().flatMap(List::stream).toList();
  }

  @Test
  @DisplayName("posts to models/{model}:streamGenerateContent?alt=sse with x-goog-api-key and relays thoughts, text and usage")
  void streamsText() {
    upstream.sse("gemini/stream-text.sse");
    UpstreamCall call = call(TestCalls.chat(100, null));

    await(edge.call("gemini", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    EdgeHarness.assertGapless(chunks);
    assertThat(text(chunks)).isEqualTo("Hello, tollgate! ☃");
    assertThat(deltas(chunks).get(0).reasoning().text()).startsWith("**Greeting the tollgate**");
    assertThat(deltas(chunks).get(deltas(chunks).size() - 1).finishReason()).isEqualTo(FinishReason.STOP);
    StreamChunk end = EdgeHarness.last(chunks);
    assertThat(end.status()).isEqualTo(Outcome.Status.OK);
    assertThat(end.usage()).isEqualTo(new Usage(12, 31, 4, 25, false));

    RecordingUpstream.Received r = upstream.received().get(0);
    assertThat(r.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(r.query()).as("the key never goes in the URL").isEqualTo("alt=sse");
    assertThat(r.headers().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(r.headers().contains("Authorization")).isFalse();
    assertThat(r.body()).isEqualTo(new JsonObject("""
        {"contents":[{"role":"user","parts":[{"text":"Say hello to the tollgate!!"}]}],
         "systemInstruction":{"parts":[{"text":"You are terse."}]},
         "generationConfig":{"seed":42,"temperature":0.5,"maxOutputTokens":100}}"""));
    Outcome outcome = await(edge.outcome(call.requestId()));
    assertThat(outcome.provider()).isEqualTo("gemini");
    assertThat(outcome.usage()).isEqualTo(end.usage());
  }

  @Test
  @DisplayName("relays function calls as whole tool-call deltas ending in tool_calls")
  void functionCalls() {
    upstream.sse("gemini/stream-function-calls.sse");
    UpstreamCall call = call(TestCalls.chat(null, null));

    await(edge.call("gemini", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    ChoiceDelta d = deltas(chunks).get(0);
    assertThat(d.toolCalls()).extracting(ToolCallDelta::arguments)
        .containsExactly("{\"location\":\"Paris\"}", "{\"location\":\"London\"}");
    assertThat(d.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(EdgeHarness.last(chunks).usage()).isEqualTo(new Usage(58, 14, 0, 0, false));
  }

  @Test
  @DisplayName("reads a JSON array answer (streamGenerateContent without alt=sse) as the same stream")
  void jsonArray() {
    String events = Fixtures.events("gemini/stream-text.sse").stream().map(e -> e.substring("data: ".length()))
        .collect(Collectors.joining(",\n", "[", "]"));
    upstream.answer(200, "application/json; charset=UTF-8", events);
    UpstreamCall call = call(TestCalls.chat(null, null));

    await(edge.call("gemini", call));
    List<StreamChunk> chunks = await(edge.end(call.requestId()));

    assertThat(text(chunks)).isEqualTo("Hello, tollgate! ☃");
    assertThat(EdgeHarness.last(chunks).status()).isEqualTo(Outcome.Status.OK);
  }

  @Test
  @DisplayName("a stream that ends without a finish reason ends with ERROR, its usage estimated, not Gemini's interim count")
  void truncated() {
    upstream.sse("gemini/stream-truncated.sse");
    UpstreamCall call = call(TestCalls.chat(null, null));

    await(edge.call("gemini", call));
    StreamChunk end = EdgeHarness.last(await(edge.end(call.requestId())));

    assertThat(end.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(end.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(end.message()).contains("before it was complete");
    assertThat(end.usage().estimated()).as("the interim usageMetadata (12 prompt, 0 output) is not billed").isTrue();
    assertThat(end.usage().completionTokens()).as("the relayed 'Hello' counts").isPositive();
  }

  @Test
  @DisplayName("Google's errors fail the call before it starts: 429 rate limited, 503 overloaded, an invalid key auth")
  void errors() {
    Map<String, ErrorCode> cases = Map.of("gemini/error-429.json", ErrorCode.UPSTREAM_RATE_LIMITED,
        "gemini/error-503.json", ErrorCode.UPSTREAM_OVERLOADED, "gemini/error-400-key.json", ErrorCode.UPSTREAM_AUTH,
        "gemini/error-404.json", ErrorCode.UPSTREAM_BAD_REQUEST);
    cases.forEach((fixture, code) -> {
      int status = Integer.parseInt(fixture.replaceAll("\\D", "").substring(0, 3));
      upstream.json(status, fixture);
      ReplyException failure = (ReplyException) awaitFailure(edge.call("gemini", call(TestCalls.chat(null, null))));
      assertThat(ErrorCode.fromWire(failure.failureCode())).as(fixture).isEqualTo(code);
      assertThat(failure.getMessage()).as("no upstream words, no key").startsWith("upstream answered HTTP " + status)
          .doesNotContain(KEY).doesNotContain("quota").doesNotContain("not valid");
    });
  }

  @Test
  @DisplayName("a 429 with Retry-After: 3 fails the call with that wait, for the router to wait out")
  void retryAfterCarried() {
    upstream.json(429, "gemini/error-429.json");
    upstream.header("retry-after", "3");

    ReplyException failure = (ReplyException) awaitFailure(edge.call("gemini", call(TestCalls.chat(null, null))));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
    assertThat(failure).isInstanceOf(io.tollgate.api.bus.UpstreamFailure.class);
    assertThat(((io.tollgate.api.bus.UpstreamFailure) failure).retryAfterMs()).isEqualTo(3_000);
  }

  @Test
  @DisplayName("a request Gemini cannot take is a 400 naming it, and nothing is sent upstream")
  void untranslatable() {
    ChatRequest chat = ChatRequest.builder("gpt-test", List.of(new ChatMessage(Role.USER, List.of(
        new ContentPart.Opaque(Dialect.OPENAI_CHAT, "input_audio", RawJson.of("{}"))), null))).build();

    ReplyException failure = (ReplyException) awaitFailure(edge.call("gemini", call(chat)));

    assertThat(ErrorCode.fromWire(failure.failureCode())).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure.getMessage()).contains("input_audio");
    assertThat(upstream.received()).isEmpty();
  }
}
