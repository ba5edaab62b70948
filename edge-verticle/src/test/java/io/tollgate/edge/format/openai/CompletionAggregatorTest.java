package io.tollgate.edge.format.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ToolCallDelta;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Completion aggregator: streamed deltas folded into chat.completion choices")
class CompletionAggregatorTest {

  @Test
  @DisplayName("text deltas over several events are joined; role and finish reason are kept")
  void textDeltas() {
    CompletionAggregator agg = new CompletionAggregator();
    agg.add(List.of(new ChoiceDelta(0, "assistant", "", null, null)));
    agg.add(List.of(ChoiceDelta.text(0, "Hel")));
    agg.add(List.of(ChoiceDelta.text(0, "lo, ")));
    agg.add(List.of(ChoiceDelta.text(0, "world")));
    agg.add(List.of(ChoiceDelta.finish(0, FinishReason.LENGTH)));

    JsonArray choices = agg.choices();
    assertThat(choices).hasSize(1);
    JsonObject choice = choices.getJsonObject(0);
    assertThat(choice.getInteger("index")).isZero();
    assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Hello, world");
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
  }

  @Test
  @DisplayName("without a role delta the role is assistant, without a finish reason it is stop")
  void defaults() {
    CompletionAggregator agg = new CompletionAggregator();
    agg.add(List.of(ChoiceDelta.text(0, "hi")));

    JsonObject choice = agg.choices().getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
  }

  @Test
  @DisplayName("no delta at all still gives one empty choice")
  void empty() {
    JsonArray choices = new CompletionAggregator().choices();
    assertThat(choices).hasSize(1);
    assertThat(choices.getJsonObject(0).getJsonObject("message").getString("content")).isEmpty();
    assertThat(choices.getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
  }

  @Test
  @DisplayName("with n=2 each choice is folded on its own and listed in index order")
  void twoChoices() {
    CompletionAggregator agg = new CompletionAggregator();
    // Choice 1 speaks first, and the two interleave within and across events.
    agg.add(List.of(new ChoiceDelta(1, "assistant", "", null, null)));
    agg.add(List.of(new ChoiceDelta(0, "assistant", "", null, null), ChoiceDelta.text(1, "B1")));
    agg.add(List.of(ChoiceDelta.text(0, "A1"), ChoiceDelta.text(1, "B2")));
    agg.add(List.of(ChoiceDelta.text(0, "A2")));
    agg.add(List.of(ChoiceDelta.finish(1, FinishReason.LENGTH), ChoiceDelta.finish(0, FinishReason.STOP)));

    JsonArray choices = agg.choices();
    assertThat(choices).hasSize(2);
    assertThat(choices.getJsonObject(0).getInteger("index")).isZero();
    assertThat(choices.getJsonObject(0).getJsonObject("message").getString("content")).isEqualTo("A1A2");
    assertThat(choices.getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
    assertThat(choices.getJsonObject(1).getInteger("index")).isEqualTo(1);
    assertThat(choices.getJsonObject(1).getJsonObject("message").getString("content")).isEqualTo("B1B2");
    assertThat(choices.getJsonObject(1).getString("finish_reason")).isEqualTo("length");
  }

  @Test
  @DisplayName("tool-call deltas are merged by index the way OpenAI streams them; content is null")
  void toolCalls() {
    CompletionAggregator agg = new CompletionAggregator();
    agg.add(List.of(new ChoiceDelta(0, "assistant", null, null, null)));
    agg.add(List.of(toolDelta(0, "call_a", "get_weather", "")));
    agg.add(List.of(toolDelta(0, null, null, "{\"ci")));
    agg.add(List.of(toolDelta(0, null, null, "ty\":\"Paris\"}")));
    agg.add(List.of(toolDelta(1, "call_b", "get_time", "")));
    agg.add(List.of(toolDelta(1, null, null, "{}")));
    agg.add(List.of(ChoiceDelta.finish(0, FinishReason.TOOL_CALLS)));

    JsonObject choice = agg.choices().getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.containsKey("content")).isTrue();
    assertThat(message.getValue("content")).as("content when only tool calls came").isNull();
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(message.getJsonArray("tool_calls")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("type", "function").put("id", "call_a")
            .put("function", new JsonObject().put("arguments", "{\"city\":\"Paris\"}").put("name", "get_weather")))
        .add(new JsonObject().put("type", "function").put("id", "call_b")
            .put("function", new JsonObject().put("arguments", "{}").put("name", "get_time"))));
  }

  @Test
  @DisplayName("text and tool calls in one answer keep both")
  void textAndToolCalls() {
    CompletionAggregator agg = new CompletionAggregator();
    agg.add(List.of(ChoiceDelta.text(0, "Let me check.")));
    agg.add(List.of(toolDelta(0, "call_a", "f", "{}")));

    JsonObject message = agg.choices().getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("content")).isEqualTo("Let me check.");
    assertThat(message.getJsonArray("tool_calls")).hasSize(1);
  }

  @Test
  @DisplayName("a choice has exactly OpenAI's fields: index, message, logprobs null, finish_reason")
  void shape() {
    CompletionAggregator agg = new CompletionAggregator();
    agg.add(List.of(ChoiceDelta.text(0, "hi"), ChoiceDelta.finish(0, FinishReason.STOP)));

    JsonObject choice = agg.choices().getJsonObject(0);
    assertThat(choice.fieldNames()).containsExactlyInAnyOrder("index", "message", "logprobs", "finish_reason");
    assertThat(choice.containsKey("logprobs")).isTrue();
    assertThat(choice.getValue("logprobs")).isNull();
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.fieldNames()).as("no tool_calls key without tool calls")
        .containsExactlyInAnyOrder("role", "content", "refusal");
    assertThat(message.containsKey("refusal")).isTrue();
    assertThat(message.getValue("refusal")).isNull();
    assertThat(choice.encode()).isEqualTo(
        "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"}");
  }

  @Test
  @DisplayName("an empty content string before the tool calls (some servers send one) is not content")
  void emptyContentBeforeToolCalls() {
    CompletionAggregator agg = new CompletionAggregator();
    agg.add(List.of(new ChoiceDelta(0, "assistant", "", null, null)));
    agg.add(List.of(toolDelta(0, "call_a", "f", "{}")));
    JsonObject message = agg.choices().getJsonObject(0).getJsonObject("message");
    assertThat(message.getValue("content")).isNull();
    assertThat(message.getJsonArray("tool_calls")).hasSize(1);
  }

  private static ChoiceDelta toolDelta(int index, String id, String name, String arguments) {
    return new ChoiceDelta(0, null, null, List.of(new ToolCallDelta(index, id, name, arguments)), null);
  }
}
