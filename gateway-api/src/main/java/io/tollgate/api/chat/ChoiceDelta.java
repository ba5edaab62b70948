package io.tollgate.api.chat;

/**
 * A piece of one choice in a streamed answer, in the gateway's own format (connectors translate
 * their wire format into it). {@code toolCalls} carries OpenAI-shaped tool-call deltas as parsed
 * JSON (a list of maps); the edge merges them by index.
 */
public record ChoiceDelta(int index, String role, String content, Object toolCalls, String finishReason) {

  public static ChoiceDelta text(int index, String content) {
    return new ChoiceDelta(index, null, content, null, null);
  }

  public static ChoiceDelta finish(int index, String finishReason) {
    return new ChoiceDelta(index, null, null, null, finishReason);
  }
}
