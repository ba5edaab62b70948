package io.tollgate.edge.format.openai;

import static io.tollgate.edge.format.JsonFields.invalid;

import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.edge.format.OpenAiFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** OpenAI chat message content and tool calls into canonical parts. */
final class OpenAiChatContent {

  private OpenAiChatContent() {
  }

  static List<ContentPart> parts(Object content, String field) {
    if (content == null) {
      return List.of();
    }
    if (content instanceof String s) {
      return List.of(new ContentPart.Text(s));
    }
    if (!(content instanceof JsonArray array)) {
      throw invalid(field, "must be a string or an array of content parts");
    }
    List<ContentPart> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String partField = field + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
        throw invalid(partField, "must be an object with a type");
      }
      switch (type) {
        case "text" -> {
          if (!(part.getValue("text") instanceof String text)) {
            throw invalid(partField + ".text", "must be a string");
          }
          out.add(new ContentPart.Text(text));
        }
        case "image_url" -> out.add(image(part.getValue("image_url"), partField + ".image_url"));
        default -> out.add(new ContentPart.Opaque(Dialect.OPENAI_CHAT, type, new RawJson(part.encode())));
      }
    }
    return out;
  }

  /** {@code {"url": "https://..." | "data:image/png;base64,...", "detail"}}. */
  private static ContentPart.Image image(Object value, String field) {
    if (!(value instanceof JsonObject image) || !(image.getValue("url") instanceof String url)) {
      throw invalid(field + ".url", "is required");
    }
    Object detail = image.getValue("detail");
    if (detail != null && !(detail instanceof String)) {
      throw invalid(field + ".detail", "must be a string");
    }
    return OpenAiFields.image(url, (String) detail, field + ".url");
  }

  /** An assistant's {@code tool_calls}: function calls become tool-use parts. */
  static List<ContentPart> toolCalls(Object value, String field) {
    if (!(value instanceof JsonArray calls)) {
      throw invalid(field, "must be an array");
    }
    List<ContentPart> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      String callField = field + "[" + i + "]";
      if (!(calls.getValue(i) instanceof JsonObject call)) {
        throw invalid(callField, "must be an object");
      }
      Object type = call.getValue("type");
      if (type != null && !"function".equals(type)) {
        out.add(new ContentPart.Opaque(Dialect.OPENAI_CHAT, "tool_call:" + type, new RawJson(call.encode())));
        continue;
      }
      if (!(call.getValue("id") instanceof String id)) {
        throw invalid(callField + ".id", "is required");
      }
      if (!(call.getValue("function") instanceof JsonObject fn) || !(fn.getValue("name") instanceof String name)) {
        throw invalid(callField + ".function.name", "is required");
      }
      Object args = fn.getValue("arguments");
      if (args != null && !(args instanceof String)) {
        throw invalid(callField + ".function.arguments", "must be a string of JSON");
      }
      out.add(new ContentPart.ToolUse(id, name, OpenAiFields.arguments((String) args), null));
    }
    return out;
  }
}
