package io.tollgate.api.chat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A wire format family: where a request came from (its inbound format) and what a connector
 * speaks upstream. Opaque pieces of a request ({@link ContentPart.Opaque}, {@link ChatRequest#extra()})
 * belong to the dialect they were written in and are passed on only to an upstream of the same
 * dialect; anywhere else they are refused with a 400 naming them, never silently dropped.
 * The wire names are stable (they cross the event bus between nodes of different versions).
 */
public enum Dialect {
  OPENAI_CHAT("openai-chat"),
  OPENAI_RESPONSES("openai-responses"),
  ANTHROPIC("anthropic"),
  GEMINI("gemini");

  private final String wire;

  Dialect(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static Dialect fromWire(String wire) {
    for (Dialect d : values()) {
      if (d.wire.equals(wire)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dialect " + wire);
  }
}
