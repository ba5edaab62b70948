package io.tollgate.edge.format.anthropic;

import static io.tollgate.edge.format.anthropic.AnthropicFields.invalid;
import static io.tollgate.edge.format.anthropic.AnthropicFields.required;

import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic {@code tools} and {@code tool_choice} into canonical records. Custom tools (no type,
 * or {@code "custom"}) are function tools; Anthropic's server and client tools with a versioned
 * type ({@code web_search_20250305}, {@code bash_20250124} ...) are opaque, for an Anthropic
 * upstream only.
 */
final class AnthropicTools {

  private AnthropicTools() {
  }

  static List<Tool> tools(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("tools", "Input should be a valid list");
    }
    List<Tool> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String field = "tools." + i;
      if (!(array.getValue(i) instanceof JsonObject tool)) {
        throw invalid(field, "Input should be a valid dictionary");
      }
      Object type = tool.getValue("type");
      if (type != null && !"custom".equals(type)) {
        if (!(type instanceof String t)) {
          throw invalid(field + ".type", "Input should be a valid string");
        }
        out.add(new Tool(null, null, null, null, null,
            new ContentPart.Opaque(Dialect.ANTHROPIC, "tool:" + t, new RawJson(tool.encode()))));
        continue;
      }
      String name = AnthropicFields.string(tool, "name", field + ".name", true);
      if (name.isEmpty()) {
        throw invalid(field + ".name", "String should have at least 1 character");
      }
      String description = AnthropicFields.string(tool, "description", field + ".description", false);
      Object schema = tool.getValue("input_schema");
      if (schema == null) {
        throw required(field + ".input_schema");
      }
      if (!(schema instanceof JsonObject s)) {
        throw invalid(field + ".input_schema", "Input should be a valid dictionary");
      }
      out.add(new Tool(name, description, new RawJson(s.encode()), null,
          AnthropicContent.cache(tool, field), null));
    }
    return out;
  }

  /** The choice, and whether the client turned parallel tool use off. */
  record Choice(ToolChoice choice, Boolean parallelToolCalls) {
  }

  static Choice toolChoice(Object value) {
    if (value == null) {
      return new Choice(null, null);
    }
    if (!(value instanceof JsonObject o)) {
      throw invalid("tool_choice", "Input should be a valid dictionary");
    }
    Object type = o.getValue("type");
    ToolChoice choice = switch (type instanceof String s ? s : "") {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.named(AnthropicFields.string(o, "name", "tool_choice.name", true));
      default -> throw invalid("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
    };
    boolean disable = AnthropicFields.bool(o, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use");
    // Only an explicit "no" is sent on: parallel calls are every upstream's default.
    return new Choice(choice, disable ? Boolean.FALSE : null);
  }
}
