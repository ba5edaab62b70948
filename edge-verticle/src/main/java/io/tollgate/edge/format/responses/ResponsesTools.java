package io.tollgate.edge.format.responses;

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

/**
 * Responses {@code tools}, {@code tool_choice} and {@code text.format} into canonical records.
 * Unlike chat, a Responses function tool has its name, description, parameters and strict flag at
 * the top level of the tool object, and a json_schema format has its name and schema there too.
 */
final class ResponsesTools {

  private ResponsesTools() {
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
            new ContentPart.Opaque(Dialect.OPENAI_RESPONSES, "tool:" + type, new RawJson(tool.encode()))));
        continue;
      }
      if (!(tool.getValue("name") instanceof String name) || name.isBlank()) {
        throw invalid(field + ".name", "is required");
      }
      Object description = tool.getValue("description");
      if (description != null && !(description instanceof String)) {
        throw invalid(field + ".description", "must be a string");
      }
      Object parameters = tool.getValue("parameters");
      if (parameters != null && !(parameters instanceof JsonObject)) {
        throw invalid(field + ".parameters", "must be a JSON schema object");
      }
      Object strict = tool.getValue("strict");
      if (strict != null && !(strict instanceof Boolean)) {
        throw invalid(field + ".strict", "must be a boolean");
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
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, null);
      case "json_schema" -> {
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
        yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, new RawJson(((JsonObject) schema).encode()),
            (Boolean) strict);
      }
      default -> throw invalid("text.format.type", "must be 'text', 'json_object' or 'json_schema'");
    };
  }
}
