package io.tollgate.edge.format.responses;

import static io.tollgate.edge.format.JsonFields.invalid;

import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.tollgate.edge.format.OpenAiFields;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Responses {@code tools}, {@code tool_choice} and {@code text.format} into canonical records.
 * Unlike chat, a Responses function tool has its name, description, parameters and strict flag at
 * the top level of the tool object, and a json_schema format has its name and schema there too;
 * what the two share is read by {@link OpenAiFields}.
 */
final class ResponsesTools {

  private ResponsesTools() {
  }

  static List<Tool> tools(Object value) {
    return OpenAiFields.tools(value, Dialect.OPENAI_RESPONSES, null);
  }

  static ToolChoice toolChoice(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return OpenAiFields.toolChoiceMode(s);
    }
    if (value instanceof JsonObject o && "function".equals(o.getValue("type"))
        && o.getValue("name") instanceof String name && !name.isBlank()) {
      return ToolChoice.named(name);
    }
    throw invalid("tool_choice", "must be 'auto', 'none', 'required' or {\"type\":\"function\",\"name\":...}");
  }

  /** {@code text: {"format": {"type": "text" | "json_object" | "json_schema", "name", "schema", "strict"}}}. */
  static ResponseFormat format(Object text) {
    if (text == null) {
      return null;
    }
    if (!(text instanceof JsonObject t)) {
      throw invalid("text", "must be an object");
    }
    Object format = t.getValue("format");
    if (format == null) {
      return null;
    }
    if (!(format instanceof JsonObject f) || !(f.getValue("type") instanceof String type)) {
      throw invalid("text.format", "must be an object with a type");
    }
    return OpenAiFields.responseFormat(type, "text.format.type", () -> {
      if (!(f.getValue("name") instanceof String name) || name.isBlank()) {
        throw invalid("text.format.name", "is required");
      }
      Object schema = f.getValue("schema");
      if (!(schema instanceof JsonObject)) {
        throw invalid("text.format.schema", "is required and must be an object");
      }
      Object strict = f.getValue("strict");
      if (strict != null && !(strict instanceof Boolean)) {
        throw invalid("text.format.strict", "must be a boolean");
      }
      return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, new RawJson(((JsonObject) schema).encode()),
          (Boolean) strict);
    });
  }
}
