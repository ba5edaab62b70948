package io.tollgate.connector.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * JSON schemas (tool parameters, response schemas) in the OpenAPI subset Gemini's {@code Schema}
 * accepts. Gemini answers 400 to keywords it does not know, so these are dropped:
 * {@code $schema}, {@code $id}, {@code $comment}, {@code additionalProperties},
 * {@code unevaluatedProperties}, {@code patternProperties}, {@code strict}. A nullable type written
 * as {@code ["string", "null"]} becomes {@code "type": "string", "nullable": true}; {@code const}
 * becomes a one-value {@code enum}. Property names are never touched: only keywords of a schema are.
 */
final class GeminiSchemas {

  static final Set<String> DROPPED = Set.of("$schema", "$id", "$comment", "additionalProperties",
      "unevaluatedProperties", "patternProperties", "strict");

  private GeminiSchemas() {
  }

  static JsonObject clean(JsonObject schema) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : schema) {
      String key = e.getKey();
      Object value = e.getValue();
      if (DROPPED.contains(key)) {
        continue;
      }
      switch (key) {
        case "properties" -> out.put(key, value instanceof JsonObject props ? properties(props) : value);
        case "items", "not" -> out.put(key, value instanceof JsonObject s ? clean(s) : value);
        case "anyOf", "oneOf", "allOf", "prefixItems" -> out.put(key, value instanceof JsonArray a ? each(a) : value);
        case "$defs", "definitions" -> out.put(key, value instanceof JsonObject defs ? properties(defs) : value);
        case "type" -> type(out, value);
        case "const" -> out.put("enum", new JsonArray().add(value));
        default -> out.put(key, value);
      }
    }
    return out;
  }

  /** A map from names to schemas: the names stay, each schema is cleaned. */
  private static JsonObject properties(JsonObject props) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : props) {
      out.put(e.getKey(), e.getValue() instanceof JsonObject s ? clean(s) : e.getValue());
    }
    return out;
  }

  private static JsonArray each(JsonArray schemas) {
    JsonArray out = new JsonArray();
    for (Object o : schemas) {
      out.add(o instanceof JsonObject s ? clean(s) : o);
    }
    return out;
  }

  private static void type(JsonObject out, Object value) {
    if (!(value instanceof JsonArray types)) {
      out.put("type", value);
      return;
    }
    JsonArray rest = new JsonArray();
    for (Object t : types) {
      if ("null".equals(t)) {
        out.put("nullable", true);
      } else {
        rest.add(t);
      }
    }
    out.put("type", rest.size() == 1 ? rest.getValue(0) : rest);
  }
}
