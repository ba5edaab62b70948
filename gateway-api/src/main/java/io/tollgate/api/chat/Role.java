package io.tollgate.api.chat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who wrote a message. Tool results are messages of role {@link #TOOL} in the canonical model,
 * whatever the dialect: OpenAI sends them as {@code tool} messages, Anthropic as
 * {@code tool_result} blocks inside a user message; connectors regroup them for their upstream.
 */
public enum Role {
  SYSTEM("system"),
  DEVELOPER("developer"),
  USER("user"),
  ASSISTANT("assistant"),
  TOOL("tool");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /** System or developer: instructions rather than conversation. */
  public boolean instructs() {
    return this == SYSTEM || this == DEVELOPER;
  }

  @JsonCreator
  public static Role fromWire(String wire) {
    for (Role r : values()) {
      if (r.wire.equals(wire)) {
        return r;
      }
    }
    return null;
  }
}
