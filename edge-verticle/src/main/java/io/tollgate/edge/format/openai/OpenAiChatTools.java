package io.tollgate.edge.format.openai;

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
 * OpenAI chat {@code tools}, {@code tool_choice} and {@code response_format} into canonical records;
 * what chat shares with Responses is read by {@link OpenAiFields}, chat's nesting (under
 * {@code function} and {@code json_schema}) is read here.
 */
final class OpenAiChatTools {

  private OpenAiChatTools() {
  }

  static List<Tool> tools(Object value) {
    return OpenAiFields.tools(value, Dialect.OPENAI_CHAT, "function");
  }

  static ToolChoice toolChoice(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return OpenAiFields.toolChoiceMode(s);
    }
    if (value instanceof JsonObject o && "function".equals(o.getValue("type"))
        && o.getValue("function") instanceof JsonObject fn && fn.getValue("name") instanceof String name) {
      return ToolChoice.named(name);
    }
    throw invalid("tool_choice", "must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}");
  }

  static ResponseFormat responseFormat(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o) || !(o.getValue("type") instanceof String type)) {
      throw invalid("response_format", "must be an object with a type");
    }
    return OpenAiFields.responseFormat(type, "response_format.type", () -> {
      if (!(o.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("name") instanceof String name)) {
        throw invalid("response_format.json_schema.name", "is required");
      }
      Object schema = js.getValue("schema");
      if (schema != null && !(schema instanceof JsonObject)) {
        throw invalid("response_format.json_schema.schema", "must be an object");
      }
      Object strict = js.getValue("strict");
      return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name,
          schema == null ? null : new RawJson(((JsonObject) schema).encode()),
          strict instanceof Boolean b ? b : null);
    });
  }
}
