package io.tollgate.edge.format.openai;

import static io.tollgate.edge.format.JsonFields.invalid;

import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** OpenAI chat {@code tools}, {@code tool_choice} and {@code response_format} into canonical records. */
final class OpenAiChatTools {

  private OpenAiChatTools() {
  }

  static List<Tool> tools(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("tools", "must be an array");
    }
    List<Tool> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String field = "tools[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject tool) || !(tool.getValue("type") instanceof String type)) {
        throw invalid(field, "must be an object with a type");
      }
      if (!"function".equals(type)) {
        out.add(new Tool(null, null, null, null, null,
            new ContentPart.Opaque(Dialect.OPENAI_CHAT, "tool:" + type, new RawJson(tool.encode()))));
        continue;
      }
      if (!(tool.getValue("function") instanceof JsonObject fn) || !(fn.getValue("name") instanceof String name)
          || name.isBlank()) {
        throw invalid(field + ".function.name", "is required");
      }
      Object description = fn.getValue("description");
      if (description != null && !(description instanceof String)) {
        throw invalid(field + ".function.description", "must be a string");
      }
      Object parameters = fn.getValue("parameters");
      if (parameters != null && !(parameters instanceof JsonObject)) {
        throw invalid(field + ".function.parameters", "must be a JSON schema object");
      }
      Object strict = fn.getValue("strict");
      if (strict != null && !(strict instanceof Boolean)) {
        throw invalid(field + ".function.strict", "must be a boolean");
      }
      out.add(new Tool(name, (String) description,
          parameters == null ? null : new RawJson(((JsonObject) parameters).encode()), (Boolean) strict, null, null));
    }
    return out;
  }

  static ToolChoice toolChoice(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return switch (s) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw invalid("tool_choice", "must be 'auto', 'none', 'required' or a named function");
      };
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
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, null);
      case "json_schema" -> {
        if (!(o.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("name") instanceof String name)) {
          throw invalid("response_format.json_schema.name", "is required");
        }
        Object schema = js.getValue("schema");
        if (schema != null && !(schema instanceof JsonObject)) {
          throw invalid("response_format.json_schema.schema", "must be an object");
        }
        Object strict = js.getValue("strict");
        yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name,
            schema == null ? null : new RawJson(((JsonObject) schema).encode()),
            strict instanceof Boolean b ? b : null);
      }
      default -> throw invalid("response_format.type", "must be 'text', 'json_object' or 'json_schema'");
    };
  }
}
