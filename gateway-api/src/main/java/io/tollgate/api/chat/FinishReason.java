package io.tollgate.api.chat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a choice ended, with each dialect's word for it. The wire name (the OpenAI chat word, or the
 * canonical name where OpenAI has none) is stable across versions.
 */
public enum FinishReason {
  STOP("stop", "stop", "end_turn"),
  /** A stop sequence matched: OpenAI says "stop", Anthropic "stop_sequence". */
  STOP_SEQUENCE("stop_sequence", "stop", "stop_sequence"),
  LENGTH("length", "length", "max_tokens"),
  TOOL_CALLS("tool_calls", "tool_calls", "tool_use"),
  CONTENT_FILTER("content_filter", "content_filter", "refusal"),
  /** Anthropic paused a long-running turn (server tools); the client continues it. */
  PAUSE_TURN("pause_turn", "stop", "pause_turn");

  private final String wire;
  private final String openAi;
  private final String anthropic;

  FinishReason(String wire, String openAi, String anthropic) {
    this.wire = wire;
    this.openAi = openAi;
    this.anthropic = anthropic;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public String openAi() {
    return openAi;
  }

  public String anthropic() {
    return anthropic;
  }

  @JsonCreator
  public static FinishReason fromWire(String wire) {
    for (FinishReason f : values()) {
      if (f.wire.equals(wire)) {
        return f;
      }
    }
    return null;
  }

  /** OpenAI's finish_reason; unknown words (a server's own) end as STOP, null stays null. */
  public static FinishReason fromOpenAi(String reason) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "length" -> LENGTH;
      case "tool_calls", "function_call" -> TOOL_CALLS;
      case "content_filter" -> CONTENT_FILTER;
      default -> STOP;
    };
  }

  /** Anthropic's stop_reason; unknown words end as STOP, null stays null. */
  public static FinishReason fromAnthropic(String reason) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "max_tokens", "model_context_window_exceeded" -> LENGTH;
      case "tool_use" -> TOOL_CALLS;
      case "refusal" -> CONTENT_FILTER;
      case "stop_sequence" -> STOP_SEQUENCE;
      case "pause_turn" -> PAUSE_TURN;
      default -> STOP;
    };
  }
}
