package io.tollgate.api.chat;

import java.util.List;

/**
 * A piece of one choice in a streamed answer, in the canonical model (connectors translate their
 * wire format into it, the edge renders it in the client's). Every field but the index may be
 * null. Tool-call pieces are merged by their index; reasoning pieces append to the current
 * thinking block until a signature closes it.
 *
 * @param stopSequence the stop sequence that ended the choice, when the upstream said which
 */
public record ChoiceDelta(int index, String role, String content, List<ToolCallDelta> toolCalls,
                          FinishReason finishReason, ReasoningDelta reasoning, String stopSequence) {

  public ChoiceDelta {
    toolCalls = toolCalls == null || toolCalls.isEmpty() ? null : List.copyOf(toolCalls);
  }

  public ChoiceDelta(int index, String role, String content, List<ToolCallDelta> toolCalls,
                     FinishReason finishReason) {
    this(index, role, content, toolCalls, finishReason, null, null);
  }

  public static ChoiceDelta text(int index, String content) {
    return new ChoiceDelta(index, null, content, null, null);
  }

  public static ChoiceDelta finish(int index, FinishReason finishReason) {
    return new ChoiceDelta(index, null, null, null, finishReason);
  }

  /** Nothing to say: no role, text, tool call, reasoning or finish. */
  public boolean isEmpty() {
    return role == null && content == null && toolCalls == null && finishReason == null && reasoning == null;
  }
}
