package io.tollgate.connector.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.connector.Fixtures;
import io.tollgate.connector.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Anthropic's documented event streams as canonical deltas")
class AnthropicStreamTest {

  /** What a fixture's events mean, in order, and the last usage reported. */
  record Run(List<ChoiceDelta> deltas, Usage usage, boolean done, AnthropicStream stream) {
    String text() {
      return deltas.stream().map(ChoiceDelta::content).filter(Objects::nonNull).collect(Collectors.joining());
    }

    List<ToolCallDelta> tools() {
      return deltas.stream().filter(d -> d.toolCalls() != null).flatMap(d -> d.toolCalls().stream()).toList();
    }
  }

  static Run run(String fixture) {
    AnthropicStream stream = new AnthropicStream();
    List<ChoiceDelta> deltas = new ArrayList<>();
    Usage[] usage = {null};
    boolean[] done = {false};
    SseParser parser = new SseParser(e -> {
      AnthropicStream.Step step = stream.event(new JsonObject(e.data()));
      if (step.deltas() != null) {
        deltas.addAll(step.deltas());
      }
      if (step.usage() != null) {
        usage[0] = step.usage();
      }
      done[0] |= step.done();
    });
    parser.feed(Buffer.buffer(Fixtures.text(fixture)));
    parser.finish();
    return new Run(deltas, usage[0], done[0], stream);
  }

  @Test
  @DisplayName("text: the role first, the text deltas, end_turn as STOP, input and output tokens at the end")
  void text() {
    Run run = run("anthropic-text.sse");

    assertThat(run.deltas().get(0).role()).isEqualTo("assistant");
    assertThat(run.text()).isEqualTo("Hello!");
    assertThat(run.deltas().get(run.deltas().size() - 1).finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(run.usage()).isEqualTo(new Usage(25, 15, 0, 0, false, 0));
    assertThat(run.done()).isTrue();
    assertThat(run.stream().sawStop()).isTrue();
  }

  @Test
  @DisplayName("tool use: the tool_use block is tool call 0 (the text block before it does not count), input_json_delta are its argument pieces")
  void toolUse() {
    Run run = run("anthropic-tool-use.sse");

    assertThat(run.text()).isEqualTo("Okay, let's check the weather for San Francisco, CA:");
    List<ToolCallDelta> tools = run.tools();
    assertThat(tools.get(0)).isEqualTo(new ToolCallDelta(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", null));
    assertThat(tools).allMatch(t -> t.index() == 0);
    String arguments = tools.stream().map(ToolCallDelta::arguments).filter(Objects::nonNull)
        .collect(Collectors.joining());
    assertThat(new JsonObject(arguments)).isEqualTo(new JsonObject(
        "{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
    assertThat(tools).as("the empty first piece is not relayed").hasSize(9);
    assertThat(run.deltas().get(run.deltas().size() - 1).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(run.usage()).isEqualTo(new Usage(472, 89, 0, 0, false, 0));
  }

  @Test
  @DisplayName("thinking: thinking_delta is reasoning text, signature_delta its signature, then the answer")
  void thinking() {
    Run run = run("anthropic-thinking.sse");

    List<ReasoningDelta> reasoning = run.deltas().stream().map(ChoiceDelta::reasoning).filter(Objects::nonNull).toList();
    assertThat(reasoning).containsExactly(
        new ReasoningDelta("Let me solve this step by step:\n\n1. First break down 27 * 453", null, null),
        new ReasoningDelta("\n2. 453 = 400 + 50 + 3", null, null),
        new ReasoningDelta(null, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...", null));
    assertThat(run.text()).isEqualTo("27 * 453 = 12,231");
    assertThat(run.usage()).as("no usage in the stream: zero, not a failure").isEqualTo(Usage.ZERO);
  }

  @Test
  @DisplayName("prompt caching: input tokens exclude cache reads and writes, the canonical prompt includes both")
  void cachingUsage() {
    AnthropicStream stream = new AnthropicStream();
    AnthropicStream.Step start = stream.event(new JsonObject("""
        {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],
         "model":"claude","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,
         "cache_creation_input_tokens":188086,"cache_read_input_tokens":0,"output_tokens":1}}}"""));
    assertThat(start.usage()).as("not final yet").isNull();
    assertThat(start.soFar()).isEqualTo(new Usage(21 + 188086, 1, 0, 0, false, 188086));
    AnthropicStream.Step end = stream.event(new JsonObject("""
        {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},
         "usage":{"output_tokens":393}}"""));

    assertThat(end.usage()).isEqualTo(new Usage(21 + 188086, 393, 0, 0, false, 188086));
    assertThat(end.deltas()).containsExactly(new ChoiceDelta(0, null, null, null, FinishReason.STOP_SEQUENCE, null, "END"));

    AnthropicStream read = new AnthropicStream();
    read.event(new JsonObject("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3,"
        + "\"cache_read_input_tokens\":1000,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}"));
    assertThat(read.event(new JsonObject("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
        + "\"usage\":{\"output_tokens\":50}}")).usage()).isEqualTo(new Usage(1003, 50, 1000, 0, false, 0));
  }

  @Test
  @DisplayName("redacted thinking is relayed whole; ping and unknown events are ignored")
  void redactedAndIgnored() {
    AnthropicStream stream = new AnthropicStream();
    assertThat(stream.event(new JsonObject("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}}")).deltas())
        .containsExactly(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta(null, null, "EmwKAhgBEgy3va3pzix"), null));
    assertThat(stream.event(new JsonObject("{\"type\":\"ping\"}"))).isEqualTo(AnthropicStream.Step.NOTHING);
    assertThat(stream.event(new JsonObject("{\"type\":\"some_future_event\"}"))).isEqualTo(AnthropicStream.Step.NOTHING);
  }

  @Test
  @DisplayName("an in-stream overloaded_error is UPSTREAM_OVERLOADED; other error events are upstream errors")
  void errorEvents() {
    GatewayException overloaded = catchThrowableOfType(GatewayException.class, () -> new AnthropicStream().event(
        new JsonObject("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
    assertThat(overloaded.code()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED);
    assertThat(overloaded.getMessage()).contains("overloaded_error").doesNotContain("Overloaded\"");
    GatewayException api = catchThrowableOfType(GatewayException.class, () -> new AnthropicStream().event(
        new JsonObject("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"secret internals\"}}")));
    assertThat(api.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(api.getMessage()).doesNotContain("secret internals");
  }

  @Test
  @DisplayName("a whole message (stream ignored) gives the same events: role, blocks, finish, and its usage")
  void wholeMessage() {
    AnthropicWholeMessage.Mapped mapped = AnthropicWholeMessage.map(new JsonObject(Fixtures.text("anthropic-message.json")));
    assertThat(mapped.events()).containsExactly(
        List.of(new ChoiceDelta(0, "assistant", null, null, null)),
        List.of(ChoiceDelta.text(0, "Hi! My name is Claude.")),
        List.of(new ChoiceDelta(0, null, null, null, FinishReason.STOP, null, null)));
    assertThat(mapped.usage()).isEqualTo(new Usage(2095, 503, 0, 0, false, 0));

    AnthropicWholeMessage.Mapped tools = AnthropicWholeMessage.map(new JsonObject("""
        {"type":"message","role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},
         {"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}},{"type":"tool_use","id":"toolu_2","name":"g","input":{}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}"""));
    assertThat(tools.events()).hasSize(5);
    assertThat(tools.events().get(1).get(0).reasoning()).isEqualTo(new ReasoningDelta("hm", "s", null));
    assertThat(tools.events().get(3).get(0).toolCalls()).containsExactly(new ToolCallDelta(1, "toolu_2", "g", "{}"));
    assertThat(tools.events().get(4).get(0).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  @DisplayName("error bodies: 529 and overloaded_error are UPSTREAM_OVERLOADED, 400 a bad request, 401 auth, 429 rate limited")
  void statusErrors() {
    Buffer overloaded = Buffer.buffer(Fixtures.text("anthropic-overloaded.json"));
    assertThat(AnthropicErrors.forStatus(529, overloaded).code()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED);
    assertThat(AnthropicErrors.forStatus(503, overloaded).code()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED);
    assertThat(AnthropicErrors.forStatus(529, Buffer.buffer("<html>")).code()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED);
    Buffer invalid = Buffer.buffer(Fixtures.text("anthropic-invalid-request.json"));
    assertThat(AnthropicErrors.forStatus(400, invalid).code()).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
    assertThat(AnthropicErrors.forStatus(413, Buffer.buffer()).code()).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
    assertThat(AnthropicErrors.forStatus(401, Buffer.buffer()).code()).isEqualTo(ErrorCode.UPSTREAM_AUTH);
    assertThat(AnthropicErrors.forStatus(403, Buffer.buffer()).code()).isEqualTo(ErrorCode.UPSTREAM_AUTH);
    assertThat(AnthropicErrors.forStatus(429, Buffer.buffer()).code()).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
    assertThat(AnthropicErrors.forStatus(500, Buffer.buffer()).code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(AnthropicErrors.message(invalid)).startsWith("invalid_request_error: messages: roles must alternate");
  }
}
