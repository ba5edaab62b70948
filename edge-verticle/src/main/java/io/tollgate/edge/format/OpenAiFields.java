package io.tollgate.edge.format;

import static io.tollgate.edge.format.JsonFields.invalid;

import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The request fields OpenAI's chat completions and Responses APIs spell the same way (or nearly:
 * a chat function tool nests its fields under {@code function}, a Responses one has them at the
 * top), read once for both. Each caller passes its own field names so a 400 names the field as the
 * client wrote it.
 */
public final class OpenAiFields {

  private OpenAiFields() {
  }

  /**
   * {@code tools}: function tools into canonical tools, any other type kept opaque in
   * {@code dialect}. {@code nestedIn} is the key holding a function's fields ({@code "function"}
   * in chat), or null when they sit on the tool object itself (Responses).
   */
  public static List<Tool> tools(Object value, Dialect dialect, String nestedIn) {
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
            new ContentPart.Opaque(dialect, "tool:" + type, new RawJson(tool.encode()))));
        continue;
      }
      JsonObject fn = nestedIn == null ? tool
          : tool.getValue(nestedIn) instanceof JsonObject o ? o : new JsonObject();
      out.add(function(fn, nestedIn == null ? field + "." : field + "." + nestedIn + "."));
    }
    return out;
  }

  private static Tool function(JsonObject fn, String prefix) {
    if (!(fn.getValue("name") instanceof String name) || name.isBlank()) {
      throw invalid(prefix + "name", "is required");
    }
    Object description = fn.getValue("description");
    if (description != null && !(description instanceof String)) {
      throw invalid(prefix + "description", "must be a string");
    }
    Object parameters = fn.getValue("parameters");
    if (parameters != null && !(parameters instanceof JsonObject)) {
      throw invalid(prefix + "parameters", "must be a JSON schema object");
    }
    Object strict = fn.getValue("strict");
    if (strict != null && !(strict instanceof Boolean)) {
      throw invalid(prefix + "strict", "must be a boolean");
    }
    return new Tool(name, (String) description,
        parameters == null ? null : new RawJson(((JsonObject) parameters).encode()), (Boolean) strict, null, null);
  }

  /** {@code tool_choice} as a string: {@code auto}, {@code none} or {@code required}. */
  public static ToolChoice toolChoiceMode(String mode) {
    return switch (mode) {
      case "auto" -> ToolChoice.AUTO;
      case "none" -> ToolChoice.NONE;
      case "required" -> ToolChoice.REQUIRED;
      default -> throw invalid("tool_choice", "must be 'auto', 'none', 'required' or a named function");
    };
  }

  /**
   * A response format's {@code type} at {@code field}: text and json_object are the same in both
   * APIs; json_schema, whose fields sit in different places, is read by {@code jsonSchema}.
   */
  public static ResponseFormat responseFormat(String type, String field, Supplier<ResponseFormat> jsonSchema) {
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, null);
      case "json_schema" -> jsonSchema.get();
      default -> throw invalid(field, "must be 'text', 'json_object' or 'json_schema'");
    };
  }

  /** {@code metadata}: an object of strings. */
  public static Map<String, String> metadata(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o)) {
      throw invalid("metadata", "must be an object of strings");
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String s)) {
        throw invalid("metadata." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  /** An image URL ({@code urlField} names it): a base64 data URL becomes inline data, anything else a link. */
  public static ContentPart.Image image(String url, String detail, String urlField) {
    if (url.startsWith("data:")) {
      int semi = url.indexOf(";base64,");
      if (semi < 0) {
        throw invalid(urlField, "a data URL must be base64 (data:<media type>;base64,<data>)");
      }
      return new ContentPart.Image(null, url.substring(5, semi), url.substring(semi + 8), detail, null);
    }
    return new ContentPart.Image(url, null, null, detail, null);
  }

  /**
   * OpenAI's arguments are a string holding JSON; the canonical input is the JSON object itself,
   * kept as the client wrote it. Arguments that are not a JSON object (a model's truncated output
   * echoed back) are kept as a JSON string, so an OpenAI upstream still gets them byte for byte
   * and an upstream that needs an object refuses them by name.
   */
  public static RawJson arguments(String args) {
    if (args == null || args.isBlank()) {
      return RawJson.EMPTY_OBJECT;
    }
    try {
      if (Json.decodeValue(args) instanceof JsonObject) {
        return new RawJson(args);
      }
    } catch (DecodeException notJson) {
      // falls through: kept as a string
    }
    return new RawJson(Json.encode(args));
  }
}
