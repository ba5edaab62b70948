package io.tollgate.edge.format.anthropic;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.ReasoningDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns canonical stream events into Anthropic content blocks, one at a time as Anthropic streams
 * them: a block is opened when its first piece comes and closed when a piece of another kind
 * does (text, thinking, one block per tool call, opened by the call's piece carrying its id and
 * name). Thinking ends with its signature: later reasoning opens a new thinking block. The same
 * sequence feeds the event stream and the non-streaming message, so both always agree.
 *
 * <p>Only choice 0 exists (Anthropic has no {@code n}); an upstream that interleaves the argument
 * pieces of parallel calls (none of the documented ones do) gets late pieces written to their
 * already-closed block, which the non-streaming message still folds in correctly.
 */
final class ContentBlocks {

  /** Where the blocks go: the raw events, in Anthropic's words. */
  interface Sink {
    void start(int index, JsonObject block);

    void delta(int index, JsonObject delta);

    void stop(int index);
  }

  private enum Kind { NONE, TEXT, THINKING, TOOL }

  private final Sink sink;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>(4);
  private int next;
  private int open = -1;
  private Kind kind = Kind.NONE;
  private boolean signed;
  private FinishReason finish;
  private String stopSequence;

  ContentBlocks(Sink sink) {
    this.sink = sink;
  }

  void add(List<ChoiceDelta> event) {
    for (ChoiceDelta d : event) {
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
        for (ToolCallDelta t : d.toolCalls()) {
          tool(t);
        }
      }
      if (d.finishReason() != null) {
        finish = d.finishReason();
        stopSequence = d.stopSequence();
      }
    }
  }

  /** Closes the open block; the answer ends. */
  void finish() {
    close();
  }

  /** Anthropic's stop_reason; {@code end_turn} when the upstream gave none. */
  String stopReason() {
    return finish == null ? FinishReason.STOP.anthropic() : finish.anthropic();
  }

  /** The matched stop sequence, only when the upstream said a stop sequence ended the answer. */
  String stopSequence() {
    return finish == FinishReason.STOP_SEQUENCE ? stopSequence : null;
  }

  private void text(String text) {
    if (kind != Kind.TEXT) {
      open(Kind.TEXT, new JsonObject().put("type", "text").put("text", ""));
    }
    sink.delta(open, new JsonObject().put("type", "text_delta").put("text", text));
  }

  private void reasoning(ReasoningDelta r) {
    if (r.redacted() != null) {
      close();
      int index = next++;
      sink.start(index, new JsonObject().put("type", "redacted_thinking").put("data", r.redacted()));
      sink.stop(index);
    }
    if (r.text() != null) {
      thinkingBlock();
      sink.delta(open, new JsonObject().put("type", "thinking_delta").put("thinking", r.text()));
    }
    if (r.signature() != null) {
      thinkingBlock();
      sink.delta(open, new JsonObject().put("type", "signature_delta").put("signature", r.signature()));
      signed = true;
    }
  }

  private void thinkingBlock() {
    if (kind != Kind.THINKING || signed) {
      open(Kind.THINKING, new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""));
      signed = false;
    }
  }

  private void tool(ToolCallDelta t) {
    Integer block = toolBlocks.get(t.index());
    if (block == null) {
      open(Kind.TOOL, new JsonObject().put("type", "tool_use").put("id", t.id()).put("name", t.name())
          .put("input", new JsonObject()));
      block = open;
      toolBlocks.put(t.index(), block);
    }
    if (t.arguments() != null && !t.arguments().isEmpty()) {
      sink.delta(block, new JsonObject().put("type", "input_json_delta").put("partial_json", t.arguments()));
    }
  }

  private void open(Kind k, JsonObject block) {
    close();
    open = next++;
    kind = k;
    sink.start(open, block);
  }

  private void close() {
    if (open >= 0) {
      sink.stop(open);
      open = -1;
      kind = Kind.NONE;
    }
  }
}
