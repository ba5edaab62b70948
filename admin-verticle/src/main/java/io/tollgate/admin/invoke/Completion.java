package io.tollgate.admin.invoke;

import io.tollgate.api.chat.ChoiceDelta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds the streamed deltas of one attempt into the {@code choices} of a {@code chat.completion},
 * as the edge does for clients that did not ask for a stream (text, finish reasons, tool calls
 * merged by index). Kept apart from the edge's aggregator because the admin writes Jackson trees,
 * not Vert.x JSON; the shape is the same.
 */
final class Completion {

  private final Map<Integer, Choice> choices = new TreeMap<>();

  void add(List<ChoiceDelta> deltas) {
    for (ChoiceDelta d : deltas) {
      Choice c = choices.computeIfAbsent(d.index(), i -> new Choice());
      if (d.role() != null) {
        c.role = d.role();
      }
      if (d.content() != null) {
        c.content.append(d.content());
        c.hasContent |= !d.content().isEmpty();
      }
      if (d.finishReason() != null) {
        c.finishReason = d.finishReason();
      }
      if (d.toolCalls() instanceof List<?> calls) {
        for (Object call : calls) {
          if (call instanceof Map<?, ?> m) {
            c.mergeToolCall(m);
          }
        }
      }
    }
  }

  List<Map<String, Object>> choices() {
    if (choices.isEmpty()) {
      choices.put(0, new Choice());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
      Choice c = e.getValue();
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("role", c.role);
      message.put("content", c.hasContent || c.toolCalls.isEmpty() ? c.content.toString() : null);
      if (!c.toolCalls.isEmpty()) {
        message.put("tool_calls", new ArrayList<>(c.toolCalls.values()));
      }
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("index", e.getKey());
      choice.put("message", message);
      choice.put("finish_reason", c.finishReason == null ? "stop" : c.finishReason);
      out.add(choice);
    }
    return out;
  }

  private static final class Choice {
    String role = "assistant";
    final StringBuilder content = new StringBuilder();
    boolean hasContent;
    String finishReason;
    final Map<Integer, Map<String, Object>> toolCalls = new TreeMap<>();

    @SuppressWarnings("unchecked")
    void mergeToolCall(Map<?, ?> delta) {
      int index = delta.get("index") instanceof Number n ? n.intValue() : toolCalls.size();
      Map<String, Object> call = toolCalls.computeIfAbsent(index, i -> {
        Map<String, Object> fresh = new LinkedHashMap<>();
        fresh.put("type", "function");
        Map<String, Object> fn = new LinkedHashMap<>();
        fn.put("arguments", "");
        fresh.put("function", fn);
        return fresh;
      });
      if (delta.get("id") instanceof String id) {
        call.put("id", id);
      }
      if (delta.get("type") instanceof String type) {
        call.put("type", type);
      }
      if (delta.get("function") instanceof Map<?, ?> fn) {
        Map<String, Object> target = (Map<String, Object>) call.get("function");
        if (fn.get("name") instanceof String name) {
          target.put("name", name);
        }
        if (fn.get("arguments") instanceof String args) {
          target.put("arguments", target.get("arguments") + args);
        }
      }
    }
  }
}
