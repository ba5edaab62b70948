package io.tollgate.edge.format.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Responses answers: the documented event sequence and the response object")
class ResponsesAnswerTest {

  private static final Usage USAGE = new Usage(20, 7, 8, 3, false);

  private final List<JsonObject> finished = new ArrayList<>();

  private InboundFormat format(boolean stream) {
    ResponsesRequest request = ResponsesRequestParser.parse(new JsonObject().put("model", "m").put("input", "hi")
        .put("stream", stream).put("instructions", "Be brief."), new JsonArray());
    return ResponsesFormat.forRequest(request, finished::add);
  }

  /** The events of an SSE body: each data line's JSON, with its event line checked to name the same type. */
  private static List<JsonObject> events(Buffer sse) {
    List<JsonObject> out = new ArrayList<>();
    for (String block : sse.toString().split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.split("\n");
      assertThat(lines[0]).startsWith("event: ");
      JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
      assertThat(data.getString("type")).isEqualTo(lines[0].substring("event: ".length()));
      out.add(data);
    }
    return out;
  }

  private static List<String> types(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  @Test
  @DisplayName("text: created, in_progress, item and part added, deltas, text done, part done, item done, completed with usage")
  void textStream() {
    AnswerWriter w = format(true).answer("r1", null);
    Buffer all = Buffer.buffer().appendBuffer(w.streamStart())
        .appendBuffer(w.streamEvents(List.of(List.of(new ChoiceDelta(0, "assistant", "", null, null)),
            List.of(ChoiceDelta.text(0, "Hel")), List.of(ChoiceDelta.text(0, "lo")))))
        .appendBuffer(w.streamEvents(List.of(List.of(ChoiceDelta.finish(0, FinishReason.STOP)))))
        .appendBuffer(w.streamEnd(USAGE));
    List<JsonObject> events = events(all);
    assertThat(types(events)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getLong("sequence_number")).isEqualTo(i);
    }
    assertThat(w.responseId()).as("stored: a random part after the request id").startsWith("resp_r1")
        .hasSize("resp_r1".length() + 24);
    assertThat(events.get(0).getJsonObject("response").getString("status")).isEqualTo("in_progress");
    assertThat(events.get(4).getString("delta")).isEqualTo("Hel");
    String itemId = events.get(2).getJsonObject("item").getString("id");
    assertThat(itemId).startsWith("msg_");
    assertThat(events.get(4).getString("item_id")).isEqualTo(itemId);
    assertThat(events.get(6).getString("text")).isEqualTo("Hello");
    JsonObject done = events.get(9).getJsonObject("response");
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getString("instructions")).isEqualTo("Be brief.");
    assertThat(done.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("Hello");
    assertThat(done.getJsonObject("usage")).isEqualTo(new JsonObject("""
        {"input_tokens":20,"input_tokens_details":{"cached_tokens":8},"output_tokens":7,
         "output_tokens_details":{"reasoning_tokens":3},"total_tokens":27}"""));
    assertThat(finished).containsExactly(done);
  }

  @Test
  @DisplayName("function calls: one item per call with its call id and name, arguments streamed as deltas then done")
  void functionCallsStream() {
    AnswerWriter w = format(true).answer("r2", null);
    w.streamStart();
    Buffer body = w.streamEvents(List.of(
        List.of(new ChoiceDelta(0, "assistant", null, List.of(new ToolCallDelta(0, "call_A", "w", "")), null)),
        List.of(new ChoiceDelta(0, null, null, List.of(new ToolCallDelta(0, null, null, "{\"c\":")), null)),
        List.of(new ChoiceDelta(0, null, null, List.of(new ToolCallDelta(0, null, null, "1}")), null)),
        List.of(new ChoiceDelta(0, null, null, List.of(new ToolCallDelta(1, "call_B", "v", "{}")), null)),
        List.of(ChoiceDelta.finish(0, FinishReason.TOOL_CALLS)))).appendBuffer(w.streamEnd(USAGE));
    List<JsonObject> events = events(body);
    assertThat(types(events)).containsExactly("response.output_item.added",
        "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    assertThat(events.get(0).getLong("sequence_number")).as("numbering continues after the start events").isEqualTo(2);
    JsonObject first = events.get(0).getJsonObject("item");
    assertThat(first.getString("id")).startsWith("fc_");
    assertThat(first.getString("call_id")).isEqualTo("call_A");
    assertThat(first.getString("name")).isEqualTo("w");
    assertThat(first.getString("status")).isEqualTo("in_progress");
    assertThat(events.get(3).getString("arguments")).isEqualTo("{\"c\":1}");
    assertThat(events.get(5).getInteger("output_index")).isEqualTo(1);
    JsonArray output = events.get(9).getJsonObject("response").getJsonArray("output");
    assertThat(output).hasSize(2);
    assertThat(output.getJsonObject(0).getString("status")).isEqualTo("completed");
    assertThat(output.getJsonObject(1).getString("call_id")).isEqualTo("call_B");
    assertThat(output.getJsonObject(1).getString("arguments")).isEqualTo("{}");
  }

  @Test
  @DisplayName("non-streaming: reasoning item, then the message, usage; length makes the response incomplete")
  void wholeWithReasoningAndLength() {
    AnswerWriter w = format(false).answer("r3", null);
    w.add(List.of(new ChoiceDelta(0, "assistant", null, null, null, new ReasoningDelta("Think", null, null), null)));
    w.add(List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta("ing.", null, null), null)));
    w.add(List.of(ChoiceDelta.text(0, "Once")));
    w.add(List.of(ChoiceDelta.finish(0, FinishReason.LENGTH)));
    JsonObject r = new JsonObject(w.whole(USAGE));
    assertThat(r.getString("object")).isEqualTo("response");
    assertThat(r.getString("status")).isEqualTo("incomplete");
    assertThat(r.getJsonObject("incomplete_details")).isEqualTo(new JsonObject().put("reason", "max_output_tokens"));
    JsonArray output = r.getJsonArray("output");
    assertThat(output.getJsonObject(0).getString("type")).isEqualTo("reasoning");
    assertThat(output.getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("Thinking.");
    assertThat(output.getJsonObject(1).getString("status")).isEqualTo("incomplete");
    assertThat(output.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("Once");
    assertThat(r.getJsonObject("usage").getLong("total_tokens")).isEqualTo(27);
    assertThat(finished).hasSize(1);
  }

  @Test
  @DisplayName("signed thinking: the signature rides in encrypted_content with the text; a redacted block is its own item")
  void signedThinking() {
    AnswerWriter w = format(false).answer("r5", null);
    w.add(List.of(new ChoiceDelta(0, "assistant", null, null, null, new ReasoningDelta("Hot ", null, null), null)));
    w.add(List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta("in Paris.", null, null), null)));
    w.add(List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta(null, "EqQBsig", null), null)));
    w.add(List.of(new ChoiceDelta(0, null, null, null, null, new ReasoningDelta(null, null, "EmwKred"), null)));
    w.add(List.of(ChoiceDelta.text(0, "88F.")));
    JsonArray output = new JsonObject(w.whole(USAGE)).getJsonArray("output");

    assertThat(output).hasSize(3);
    JsonObject signed = output.getJsonObject(0);
    assertThat(signed.getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("Hot in Paris.");
    assertThat(SignedReasoning.decode(signed.getString("encrypted_content"), "f"))
        .isEqualTo(new io.tollgate.api.chat.ContentPart.Reasoning("Hot in Paris.", "EqQBsig", null));
    assertThat(output.getJsonObject(1).getString("type")).isEqualTo("reasoning");
    assertThat(output.getJsonObject(1).getString("encrypted_content")).isEqualTo("EmwKred");
    assertThat(output.getJsonObject(2).getString("type")).isEqualTo("message");
  }

  @Test
  @DisplayName("an upstream failure after the head is response.failed with the error, continuing the numbering; nothing is stored")
  void failedStream() {
    InboundFormat format = format(true);
    AnswerWriter w = format.answer("r4", null);
    int started = events(w.streamStart()).size();
    int more = events(w.streamEvents(List.of(List.of(ChoiceDelta.text(0, "Hel"))))).size();
    List<JsonObject> tail = events(format.streamError(new GatewayException(ErrorCode.UPSTREAM_ERROR, "it broke")));
    assertThat(types(tail)).containsExactly("response.failed");
    assertThat(tail.get(0).getLong("sequence_number")).isEqualTo(started + more);
    JsonObject r = tail.get(0).getJsonObject("response");
    assertThat(r.getString("status")).isEqualTo("failed");
    assertThat(r.getJsonObject("error")).isEqualTo(new JsonObject().put("code", "upstream_error").put("message", "it broke"));
    assertThat(r.getJsonArray("output").getJsonObject(0).getString("status")).isEqualTo("incomplete");
    assertThat(finished).isEmpty();
  }
}
