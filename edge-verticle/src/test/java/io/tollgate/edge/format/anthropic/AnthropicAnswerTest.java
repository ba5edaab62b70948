package io.tollgate.edge.format.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Anthropic answers: the event stream and the whole message from canonical events")
class AnthropicAnswerTest {

  private static final ChatRequest CHAT = ChatRequest.builder("claude-x", List.of(ChatMessage.of(Role.USER, "hello there")))
      .dialect(Dialect.ANTHROPIC).maxTokens(100).stream(true).build();

  /** One SSE event: its name and its data. */
  record Event(String name, JsonObject data) {
    String type() {
      return data.getString("type");
    }
  }

  private static List<Event> events(Buffer sse) {
    List<Event> out = new ArrayList<>();
    for (String block : sse.toString().split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      Event e = new Event(lines[0].substring(7), new JsonObject(lines[1].substring(6)));
      assertThat(e.type()).as("event name equals data type").isEqualTo(e.name());
      out.add(e);
    }
    return out;
  }

  private static List<Event> stream(List<List<ChoiceDelta>> events, Usage usage) {
    AnswerWriter w = AnthropicFormat.INSTANCE.answer("abc", CHAT);
    Buffer all = Buffer.buffer().appendBuffer(w.streamStart());
    for (List<ChoiceDelta> e : events) {
      all.appendBuffer(w.streamEvents(List.of(e)));
    }
    return events(all.appendBuffer(w.streamEnd(usage)));
  }

  private static List<String> types(List<Event> events) {
    return events.stream().map(e -> e.type() + (e.data().containsKey("index") ? "#" + e.data().getInteger("index") : "")
        + (e.data().getValue("delta") instanceof JsonObject d && d.containsKey("type") ? ":" + d.getString("type") : "")
        + (e.data().getValue("content_block") instanceof JsonObject b ? ":" + b.getString("type") : "")).toList();
  }

  private static ChoiceDelta toolPiece(int call, String id, String name, String args) {
    return new ChoiceDelta(0, null, null, List.of(new ToolCallDelta(call, id, name, args)), null);
  }

  @Test
  @DisplayName("text: message_start, ping, one text block, message_delta with stop reason and usage, message_stop")
  void text() {
    List<Event> events = stream(List.of(
        List.of(new ChoiceDelta(0, "assistant", "", null, null)),
        List.of(ChoiceDelta.text(0, "Hel")),
        List.of(ChoiceDelta.text(0, "lo")),
        List.of(ChoiceDelta.finish(0, FinishReason.STOP))), new Usage(20, 5, 0, 0, false));

    assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start#0:text",
        "content_block_delta#0:text_delta", "content_block_delta#0:text_delta", "content_block_stop#0",
        "message_delta", "message_stop");
    JsonObject message = events.get(0).data().getJsonObject("message");
    assertThat(message.getString("id")).isEqualTo("msg_abc");
    assertThat(message.getString("model")).isEqualTo("claude-x");
    assertThat(message.getJsonArray("content")).isEmpty();
    assertThat(message.getValue("stop_reason")).isNull();
    assertThat(message.getJsonObject("usage").getLong("input_tokens")).isEqualTo(CHAT.estimatedPromptTokens());
    assertThat(message.getJsonObject("usage").getLong("output_tokens")).isZero();
    assertThat(events.get(2).data().getJsonObject("content_block")).isEqualTo(new JsonObject().put("type", "text").put("text", ""));
    assertThat(events.get(3).data().getJsonObject("delta").getString("text")).isEqualTo("Hel");
    JsonObject delta = events.get(6).data();
    assertThat(delta.getJsonObject("delta")).isEqualTo(new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"));
    assertThat(delta.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 20)
        .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0).put("output_tokens", 5));
  }

  @Test
  @DisplayName("text then two tool calls: one tool_use block per call, its arguments as input_json_delta pieces, stop reason tool_use")
  void textThenToolCalls() {
    List<Event> events = stream(List.of(
        List.of(ChoiceDelta.text(0, "Let me check.")),
        List.of(toolPiece(0, "call_A", "get_weather", "")),
        List.of(toolPiece(0, null, null, "{\"city\":")),
        List.of(toolPiece(0, null, null, "\"Paris\"}")),
        List.of(toolPiece(1, "call_B", "get_weather", "{\"city\":\"Rome\"}")),
        List.of(ChoiceDelta.finish(0, FinishReason.TOOL_CALLS))), new Usage(60, 30, 0, 0, false));

    assertThat(types(events)).containsExactly("message_start", "ping",
        "content_block_start#0:text", "content_block_delta#0:text_delta", "content_block_stop#0",
        "content_block_start#1:tool_use", "content_block_delta#1:input_json_delta",
        "content_block_delta#1:input_json_delta", "content_block_stop#1",
        "content_block_start#2:tool_use", "content_block_delta#2:input_json_delta", "content_block_stop#2",
        "message_delta", "message_stop");
    assertThat(events.get(5).data().getJsonObject("content_block")).isEqualTo(new JsonObject()
        .put("type", "tool_use").put("id", "call_A").put("name", "get_weather").put("input", new JsonObject()));
    assertThat(events.get(6).data().getJsonObject("delta").getString("partial_json")).isEqualTo("{\"city\":");
    assertThat(events.get(7).data().getJsonObject("delta").getString("partial_json")).isEqualTo("\"Paris\"}");
    assertThat(events.get(12).data().getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  @DisplayName("thinking streams as thinking_delta then signature_delta in a thinking block; a redacted block comes whole")
  void thinkingWithSignature() {
    List<Event> events = stream(List.of(
        List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta("Let me ", null, null), null)),
        List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta("think.", null, null), null)),
        List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta(null, "SIG", null), null)),
        List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta(null, null, "REDACTED"), null)),
        List.of(ChoiceDelta.text(0, "Answer.")),
        List.of(ChoiceDelta.finish(0, FinishReason.STOP))), null);

    assertThat(types(events)).containsExactly("message_start", "ping",
        "content_block_start#0:thinking", "content_block_delta#0:thinking_delta", "content_block_delta#0:thinking_delta",
        "content_block_delta#0:signature_delta", "content_block_stop#0",
        "content_block_start#1:redacted_thinking", "content_block_stop#1",
        "content_block_start#2:text", "content_block_delta#2:text_delta", "content_block_stop#2",
        "message_delta", "message_stop");
    assertThat(events.get(2).data().getJsonObject("content_block"))
        .isEqualTo(new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""));
    assertThat(events.get(5).data().getJsonObject("delta"))
        .isEqualTo(new JsonObject().put("type", "signature_delta").put("signature", "SIG"));
    assertThat(events.get(7).data().getJsonObject("content_block").getString("data")).isEqualTo("REDACTED");
  }

  @Test
  @DisplayName("usage: input_tokens exclude cache reads and writes, which are reported apart; no usage gives the estimate")
  void usageSemantics() {
    List<Event> events = stream(List.of(List.of(ChoiceDelta.text(0, "x"))), new Usage(1000, 50, 600, 0, false, 300));
    assertThat(events.get(events.size() - 2).data().getJsonObject("usage")).isEqualTo(new JsonObject()
        .put("input_tokens", 100).put("cache_creation_input_tokens", 300).put("cache_read_input_tokens", 600)
        .put("output_tokens", 50));

    List<Event> none = stream(List.of(List.of(ChoiceDelta.text(0, "x"))), null);
    assertThat(none.get(none.size() - 2).data().getJsonObject("usage").getLong("input_tokens"))
        .isEqualTo(CHAT.estimatedPromptTokens());
  }

  @Test
  @DisplayName("stop_sequence is named only when the upstream said a stop sequence ended the answer; length is max_tokens")
  void stopReasons() {
    List<Event> seq = stream(List.of(List.of(ChoiceDelta.text(0, "1, 2")),
        List.of(new ChoiceDelta(0, null, null, null, FinishReason.STOP_SEQUENCE, null, "3"))), null);
    assertThat(seq.get(seq.size() - 2).data().getJsonObject("delta"))
        .isEqualTo(new JsonObject().put("stop_reason", "stop_sequence").put("stop_sequence", "3"));

    List<Event> length = stream(List.of(List.of(ChoiceDelta.text(0, "long")),
        List.of(ChoiceDelta.finish(0, FinishReason.LENGTH))), null);
    assertThat(length.get(length.size() - 2).data().getJsonObject("delta").getString("stop_reason")).isEqualTo("max_tokens");
  }

  @Test
  @DisplayName("an empty answer still streams a well-formed message with no blocks")
  void empty() {
    assertThat(types(stream(List.of(), null))).containsExactly("message_start", "ping", "message_delta", "message_stop");
  }

  @Test
  @DisplayName("the whole message: blocks in order, tool input an object parsed from the joined pieces, thinking with its signature")
  void whole() {
    AnswerWriter w = AnthropicFormat.INSTANCE.answer("abc", CHAT);
    w.add(List.of(new ChoiceDelta(0, "assistant", null, null, null, new ReasoningDelta("Hmm.", null, null), null)));
    w.add(List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta(null, "SIG", null), null)));
    w.add(List.of(ChoiceDelta.text(0, "Checking ")));
    w.add(List.of(ChoiceDelta.text(0, "now.")));
    w.add(List.of(toolPiece(0, "call_A", "get_weather", "")));
    w.add(List.of(toolPiece(0, null, null, "{\"city\":")));
    w.add(List.of(toolPiece(0, null, null, "\"Paris\"}")));
    w.add(List.of(toolPiece(1, "call_B", "get_time", "")));
    w.add(List.of(ChoiceDelta.finish(0, FinishReason.TOOL_CALLS)));
    JsonObject message = w.whole(new Usage(70, 20, 10, 0, false)).toJsonObject();

    assertThat(message).isEqualTo(new JsonObject()
        .put("id", "msg_abc").put("type", "message").put("role", "assistant").put("model", "claude-x")
        .put("content", new JsonArray()
            .add(new JsonObject().put("type", "thinking").put("thinking", "Hmm.").put("signature", "SIG"))
            .add(new JsonObject().put("type", "text").put("text", "Checking now."))
            .add(new JsonObject().put("type", "tool_use").put("id", "call_A").put("name", "get_weather")
                .put("input", new JsonObject().put("city", "Paris")))
            .add(new JsonObject().put("type", "tool_use").put("id", "call_B").put("name", "get_time")
                .put("input", new JsonObject())))
        .put("stop_reason", "tool_use").putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 60).put("cache_creation_input_tokens", 0)
            .put("cache_read_input_tokens", 10).put("output_tokens", 20)));
  }

  @Test
  @DisplayName("the whole message of an answer cut off inside a tool call has an empty input and stop reason max_tokens")
  void wholeCutOff() {
    AnswerWriter w = AnthropicFormat.INSTANCE.answer("abc", CHAT);
    w.add(List.of(toolPiece(0, "call_A", "f", "{\"city\":\"Par")));
    w.add(List.of(ChoiceDelta.finish(0, FinishReason.LENGTH)));
    JsonObject message = w.whole(null).toJsonObject();
    assertThat(message.getJsonArray("content").getJsonObject(0).getJsonObject("input")).isEqualTo(new JsonObject());
    assertThat(message.getString("stop_reason")).isEqualTo("max_tokens");
  }
}
