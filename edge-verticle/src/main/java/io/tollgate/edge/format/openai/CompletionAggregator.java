package io.tollgate.edge.format.openai;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ToolCallDelta;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds streamed deltas into the choices of one {@code chat.completion}, for clients that did not
 * ask for a stream (connectors always stream upstream so that usage is exact either way).
 * Tool-call deltas are merged by their index: ids and names are set once, arguments append.
 */
final class CompletionAggregator {

  private final Map<Integer, Choice> choices = new TreeMap<>();

  void add(List<ChoiceDelta> deltas) {
    for (ChoiceDelta d : deltas) {
      Choice c = choices.computeIfAbsent(d.index(), i -> new Choice());
      if (d.role() != null) {
        c.role = d.role();
      }
      if (d.content() != null) {
        c.content.append(d.content());
        // Some servers open a tool call with content "": that is not content.
        c.hasContent |= !d.content().isEmpty();
      }
      if (d.reasoning() != null && d.reasoning().text() != null) {
        c.reasoning.append(d.reasoning().text());
      }
      if (d.finishReason() != null) {
        c.finishReason = d.finishReason();
      }
      if (d.toolCalls() != null) {
        for (ToolCallDelta call : d.toolCalls()) {
          c.mergeToolCall(call);
        }
      }
    }
  }

  JsonArray choices() {
    JsonArray out = new JsonArray();
    if (choices.isEmpty()) {
      choices.put(0, new Choice());
    }
    for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
      Choice c = e.getValue();
      JsonObject message = new JsonObject().put("role", c.role)
          .put("content", c.hasContent || c.toolCalls.isEmpty() ? c.content.toString() : null)
          .putNull("refusal");
      if (!c.reasoning.isEmpty()) {
        message.put("reasoning_content", c.reasoning.toString());
      }
      if (!c.toolCalls.isEmpty()) {
        JsonArray calls = new JsonArray();
        c.toolCalls.values().forEach(calls::add);
        message.put("tool_calls", calls);
      }
      out.add(new JsonObject().put("index", e.getKey()).put("message", message).putNull("logprobs")
          .put("finish_reason", c.finishReason == null ? "stop" : c.finishReason.openAi()));
    }
    return out;
  }

  private static final class Choice {
    String role = "assistant";
    final StringBuilder content = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    boolean hasContent;
    FinishReason finishReason;
    final Map<Integer, JsonObject> toolCalls = new TreeMap<>();

    void mergeToolCall(ToolCallDelta delta) {
      JsonObject call = toolCalls.computeIfAbsent(delta.index(),
          i -> new JsonObject().put("type", "function").put("function", new JsonObject().put("arguments", "")));
      if (delta.id() != null) {
        call.put("id", delta.id());
      }
      JsonObject target = call.getJsonObject("function");
      if (delta.name() != null) {
        target.put("name", delta.name());
      }
      if (delta.arguments() != null) {
        target.put("arguments", target.getString("arguments") + delta.arguments());
      }
    }
  }
}
