package io.tollgate.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.CacheControl;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ReasoningOptions;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.ToolChoice;
import io.tollgate.api.config.DeploymentConfig;
import java.util.Map;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.usage.CancelReason;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Message records survive the wire exactly; a local hop hands over the same instance")
class RecordCodecTest {

  private static <T> T roundTrip(Class<T> type, T value) {
    RecordCodec<T> codec = new RecordCodec<>(type);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, value);
    assertThat(codec.transform(value)).isSameAs(value);
    return codec.decodeFromWire(0, wire);
  }

  @Test
  @DisplayName("a usage event (alone and in a batch) with exact cost, 64-bit tokens, decision, trace and cancel reason")
  void usageEvent() {
    UsageEvent e = new UsageEvent("req-1", Instant.parse("2026-11-27T02:00:00.123Z"),
        Instant.parse("2026-11-27T02:00:01.456Z"), "tn", "key", "gpt", "dep", "openai", 1,
        new RouteDecision("thompson", "v3", 0.25, "explore"), new Usage(5_000_000_000L, 7, 3, 2, true, 1),
        1333, 120, Outcome.Status.CANCELLED, ErrorCode.CANCELLED, ErrorCode.Side.CLIENT,
        CancelReason.CLIENT_DISCONNECT,
        List.of(new Attempt("a", "openai", ErrorCode.UPSTREAM_TIMEOUT, "t", 10), new Attempt("dep", "openai",
            null, null, 3)), new BigDecimal("0.000000001234567890123"));
    assertThat(roundTrip(UsageEvent.class, e)).isEqualTo(e);
    UsageBatch batch = new UsageBatch(List.of(e, e));
    UsageBatch back = roundTrip(UsageBatch.class, batch);
    assertThat(back).isEqualTo(batch);
    assertThat(back.events()).allSatisfy(event -> assertThat(event).isInstanceOf(UsageEvent.class));
  }

  @Test
  @DisplayName("a cache hit's usage event keeps its mark across nodes; an event without the field reads as no hit")
  void cacheHit() {
    UsageEvent hit = new UsageEvent("req-2", Instant.parse("2026-11-27T02:00:00Z"), Instant.parse("2026-11-27T02:00:00Z"),
        "tn", "key", "gpt", null, null, -1, null, Usage.ZERO, 1, 1, Outcome.Status.OK, null, null, null, List.of(),
        BigDecimal.ZERO, true);
    assertThat(roundTrip(UsageEvent.class, hit).cacheHit()).isTrue();
    RecordCodec<UsageEvent> codec = new RecordCodec<>(UsageEvent.class);
    byte[] older = "{\"requestId\":\"req-3\",\"attempt\":-1,\"latencyMillis\":1,\"ttftMillis\":1}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    UsageEvent fromOlderNode = codec.decodeFromWire(0, Buffer.buffer().appendInt(older.length).appendBytes(older));
    assertThat(fromOlderNode.cacheHit()).isFalse();
  }

  @Test
  @DisplayName("stream messages keep their attempt and the END's deployment")
  void streamChunk() {
    StreamChunk end = StreamChunk.end("r", 2, 7, List.of(List.of(ChoiceDelta.text(0, "x"))), Usage.ZERO,
        Outcome.Status.OK, null, null, "dep");
    assertThat(roundTrip(StreamChunk.class, end)).isEqualTo(end);
  }

  @Test
  @DisplayName("a canonical request with every kind of part, tools and options survives the wire; raw JSON stays embedded")
  void canonicalRequest() {
    ChatRequest chat = ChatRequest.builder("m", List.of(
            ChatMessage.of(Role.SYSTEM, "be brief"),
            new ChatMessage(Role.USER, List.of(new ContentPart.Text("look", CacheControl.EPHEMERAL),
                new ContentPart.Image(null, "image/png", "iVBORw0KGgo=", null, null),
                new ContentPart.Image("https://x/y.png", null, null, "low", null)), "ann"),
            new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Reasoning("hmm", "sig", null),
                new ContentPart.ToolUse("call_1", "get", new RawJson("{\"q\":[1,2]}"), null)), null),
            new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_1",
                List.of(new ContentPart.Text("42")), false, null)), null),
            new ChatMessage(Role.USER, List.of(new ContentPart.Opaque(Dialect.OPENAI_CHAT, "input_audio",
                new RawJson("{\"type\":\"input_audio\"}"))), null)))
        .dialect(Dialect.ANTHROPIC).stream(true).maxTokens(100).topK(5).stop(List.of("END"))
        .tools(List.of(Tool.function("get", "gets", new RawJson("{\"type\":\"object\"}"))))
        .toolChoice(ToolChoice.named("get")).parallelToolCalls(false)
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "s", new RawJson("{}"), true))
        .reasoning(new ReasoningOptions(null, 2048, true)).metadata(Map.of("user_id", "u"))
        .extra(Map.of("service_tier", new RawJson("\"auto\""))).build();
    UpstreamCall call = new UpstreamCall("r", 1, "m", new DeploymentConfig("d", "mock", null, null, null, null, null, null, null, null, null, null), chat, "addr", "k", "t");
    RecordCodec<UpstreamCall> codec = new RecordCodec<>(UpstreamCall.class);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, call);
    assertThat(wire.toString()).contains("\"input\":{\"q\":[1,2]}").contains("\"service_tier\":\"auto\"");
    assertThat(roundTrip(UpstreamCall.class, call)).isEqualTo(call);
  }

  @Test
  @DisplayName("stream deltas with tool-call pieces, reasoning and finish reasons survive the wire")
  void typedDeltas() {
    StreamChunk chunk = StreamChunk.delta("r", 0, 1, List.of(List.of(
        new ChoiceDelta(0, "assistant", null, List.of(new ToolCallDelta(0, "c", "f", "{\"a\"")), null),
        new ChoiceDelta(1, null, null, null, FinishReason.STOP_SEQUENCE, new ReasoningDelta("t", "s", null), "END"))));
    assertThat(roundTrip(StreamChunk.class, chunk)).isEqualTo(chunk);
  }
}
