package io.tollgate.edge.format.responses;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns canonical deltas into Responses output items, and (when {@code events} is given) into the
 * documented stream events with their {@code sequence_number}s. One item is open at a time, as
 * OpenAI streams them: reasoning, then a message, then function calls; a delta of another kind
 * closes the open item ({@code *.done} events) before opening its own. The Responses API has
 * one answer per request, so only choice 0 is read.
 */
final class ResponsesOutput {

  /** Where the stream events go: the SSE writer, or nowhere for a non-streaming client. */
  interface Events {
    void emit(String type, JsonObject event);
  }

  private enum Kind { REASONING, MESSAGE, FUNCTION_CALL }

  private final String itemPrefix;
  private final Events events;
  private final JsonArray output = new JsonArray();
  private final Map<Integer, Integer> callItems = new HashMap<>();
  private Kind open;
  private JsonObject item;
  private StringBuilder text;
  private String encrypted;
  private String signature;
  private FinishReason finish;

  ResponsesOutput(String itemPrefix, Events events) {
    this.itemPrefix = itemPrefix;
    this.events = events;
  }

  void add(List<ChoiceDelta> deltas) {
    for (ChoiceDelta d : deltas) {
      if (d.index() != 0) {
        continue;
      }
      if (d.reasoning() != null) {
        reasoning(d.reasoning());
      }
      if (d.content() != null && !d.content().isEmpty()) {
        text(d.content());
      }
      if (d.toolCalls() != null) {
        for (ToolCallDelta call : d.toolCalls()) {
          toolCall(call);
        }
      }
      if (d.finishReason() != null) {
        finish = d.finishReason();
      }
    }
  }

  FinishReason finishReason() {
    return finish;
  }

  /** Closes the open item; the output items as they stand. */
  JsonArray finish() {
    close();
    return output;
  }

  /**
   * The output after a failure: the item being written is kept as it stood, status
   * {@code incomplete}, without the {@code *.done} events that would claim it finished.
   */
  JsonArray abandon() {
    JsonArray items = output.copy();
    if (open != null) {
      JsonObject partial = item.copy().put("status", "incomplete");
      String sofar = text.toString();
      switch (open) {
        case MESSAGE -> partial.put("content", new JsonArray().add(outputText(sofar)));
        case FUNCTION_CALL -> partial.put("arguments", sofar);
        case REASONING -> partial.put("content",
            new JsonArray().add(new JsonObject().put("type", "reasoning_text").put("text", sofar)));
      }
      items.add(partial);
    }
    return items;
  }

  /**
   * One reasoning item per signed thinking block and per redacted block, as Anthropic separates
   * them: reasoning after a signature, or of the other kind, starts a new item, so each item's
   * encrypted_content holds exactly one block's state.
   */
  private void reasoning(ReasoningDelta r) {
    String delta = r.text();
    String redacted = r.redacted();
    if (delta == null && redacted == null && r.signature() == null) {
      return;
    }
    boolean fresh = open != Kind.REASONING || encrypted != null || signature != null
        || redacted != null && !text.isEmpty();
    if (fresh) {
      close();
      open(Kind.REASONING, new JsonObject().put("id", "rs_" + itemPrefix + output.size()).put("type", "reasoning")
          .put("summary", new JsonArray()));
      part("response.content_part.added", new JsonObject().put("type", "reasoning_text").put("text", ""));
    }
    if (redacted != null) {
      encrypted = encrypted == null ? redacted : encrypted + redacted;
    }
    if (delta != null && !delta.isEmpty()) {
      text.append(delta);
      emit("response.reasoning_text.delta", itemEvent().put("content_index", 0).put("delta", delta));
    }
    if (r.signature() != null) {
      signature = signature == null ? r.signature() : signature + r.signature();
    }
  }

  private void text(String delta) {
    if (open != Kind.MESSAGE) {
      close();
      open(Kind.MESSAGE, new JsonObject().put("id", "msg_" + itemPrefix + output.size()).put("type", "message")
          .put("status", "in_progress").put("content", new JsonArray()).put("role", "assistant"));
      part("response.content_part.added", outputText(""));
    }
    text.append(delta);
    emit("response.output_text.delta", itemEvent().put("content_index", 0).put("delta", delta)
        .put("logprobs", new JsonArray()));
  }

  private void toolCall(ToolCallDelta call) {
    Integer at = callItems.get(call.index());
    if (at == null || open != Kind.FUNCTION_CALL || at != output.size()) {
      if (at != null) {
        // A piece of a call that is no longer open (upstreams interleave rarely): fold it in silently.
        JsonObject done = output.getJsonObject(at);
        done.put("arguments", done.getString("arguments") + (call.arguments() == null ? "" : call.arguments()));
        return;
      }
      close();
      callItems.put(call.index(), output.size());
      open(Kind.FUNCTION_CALL, new JsonObject().put("id", "fc_" + itemPrefix + output.size())
          .put("type", "function_call").put("status", "in_progress").put("arguments", "")
          .put("call_id", call.id()).put("name", call.name()));
    }
    if (call.id() != null && item.getString("call_id") == null) {
      item.put("call_id", call.id());
    }
    if (call.name() != null && item.getString("name") == null) {
      item.put("name", call.name());
    }
    if (call.arguments() != null && !call.arguments().isEmpty()) {
      text.append(call.arguments());
      emit("response.function_call_arguments.delta", itemEvent().put("delta", call.arguments()));
    }
  }

  private void open(Kind kind, JsonObject newItem) {
    open = kind;
    item = newItem;
    text = new StringBuilder();
    encrypted = null;
    signature = null;
    emit("response.output_item.added", new JsonObject().put("output_index", output.size()).put("item", newItem));
  }

  private void close() {
    if (open == null) {
      return;
    }
    String full = text.toString();
    // An item cut off by the token limit or a content filter is incomplete, as OpenAI marks it.
    String status = finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER ? "incomplete" : "completed";
    switch (open) {
      case REASONING -> {
        JsonObject part = new JsonObject().put("type", "reasoning_text").put("text", full);
        emit("response.reasoning_text.done", itemEvent().put("content_index", 0).put("text", full));
        part("response.content_part.done", part);
        item.put("content", full.isEmpty() ? new JsonArray() : new JsonArray().add(part));
        if (signature != null) {
          item.put("encrypted_content", SignedReasoning.encode(full, signature));
        } else if (encrypted != null) {
          item.put("encrypted_content", encrypted);
        }
      }
      case MESSAGE -> {
        emit("response.output_text.done", itemEvent().put("content_index", 0).put("text", full)
            .put("logprobs", new JsonArray()));
        part("response.content_part.done", outputText(full));
        item.put("status", status).put("content", new JsonArray().add(outputText(full)));
      }
      case FUNCTION_CALL -> {
        emit("response.function_call_arguments.done", itemEvent().put("name", item.getString("name"))
            .put("arguments", full));
        item.put("status", status).put("arguments", full);
      }
    }
    emit("response.output_item.done", new JsonObject().put("output_index", output.size()).put("item", item));
    output.add(item);
    open = null;
    item = null;
  }

  private static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("annotations", new JsonArray())
        .put("logprobs", new JsonArray()).put("text", text);
  }

  private void part(String type, JsonObject part) {
    emit(type, itemEvent().put("content_index", 0).put("part", part));
  }

  private JsonObject itemEvent() {
    return new JsonObject().put("item_id", item.getString("id")).put("output_index", output.size());
  }

  /** Events are encoded at once, so they may hold the live item: it changes only after. */
  private void emit(String type, JsonObject event) {
    if (events != null) {
      events.emit(type, event);
    }
  }
}
