package io.tollgate.api.chat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A piece of JSON the gateway carries without reading it: a tool's parameter schema, a tool
 * call's arguments, a parameter only one dialect knows. Kept as its text so that it crosses the
 * event bus as itself (embedded, not quoted) and reaches the upstream byte for byte.
 *
 * @param json valid JSON text (an object, array or scalar)
 */
public record RawJson(@JsonValue @JsonRawValue String json) {

  public static final RawJson EMPTY_OBJECT = new RawJson("{}");

  public RawJson {
    Objects.requireNonNull(json, "json");
  }

  /** Jackson reads the embedded value as a tree; its text is what we keep. */
  @JsonCreator
  static RawJson fromTree(JsonNode node) {
    return new RawJson(node.toString());
  }

  /** For JSON text that is known to be an object or array (schemas, arguments). */
  public static RawJson of(String json) {
    return json == null ? null : new RawJson(json);
  }

  @Override
  public String toString() {
    return json;
  }
}
