package io.tollgate.edge.format.anthropic;

import static io.tollgate.edge.format.anthropic.AnthropicFields.invalid;
import static io.tollgate.edge.format.anthropic.AnthropicFields.required;

import io.tollgate.api.chat.CacheControl;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic {@code system} and {@code messages} into canonical messages. A user message's
 * {@code tool_result} blocks become {@link Role#TOOL} messages (the canonical model keeps tool
 * results apart whatever the dialect), in their place: consecutive results form one tool message,
 * the user's other blocks stay in a user message after them. Blocks other formats have no word
 * for (documents, search results, server tool blocks, anything newer) are kept as
 * {@link ContentPart.Opaque} of the Anthropic dialect: an Anthropic upstream gets them as sent,
 * any other refuses them by name.
 */
final class AnthropicContent {

  private AnthropicContent() {
  }

  /** {@code system}: a string, or text blocks (each may carry a cache breakpoint); null when absent. */
  static ChatMessage system(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return ChatMessage.of(Role.SYSTEM, s);
    }
    if (!(value instanceof JsonArray blocks)) {
      throw invalid("system", "Input should be a valid string or a list of text blocks");
    }
    List<ContentPart> parts = new ArrayList<>(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      String field = "system." + i;
      if (!(blocks.getValue(i) instanceof JsonObject block) || !"text".equals(block.getValue("type"))) {
        throw invalid(field + ".type", "Input should be 'text'");
      }
      parts.add(text(block, field));
    }
    return new ChatMessage(Role.SYSTEM, parts, null);
  }

  static List<ChatMessage> messages(Object value, boolean allowEmpty) {
    if (value == null) {
      throw required("messages");
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("messages", "Input should be a valid list");
    }
    if (array.isEmpty() && !allowEmpty) {
      throw invalid("messages", "at least one message is required");
    }
    List<ChatMessage> out = new ArrayList<>(array.size() + 1);
    for (int i = 0; i < array.size(); i++) {
      String field = "messages." + i;
      if (!(array.getValue(i) instanceof JsonObject m)) {
        throw invalid(field, "Input should be a valid dictionary");
      }
      Object role = m.getValue("role");
      if (role == null) {
        throw required(field + ".role");
      }
      boolean user = "user".equals(role);
      if (!user && !"assistant".equals(role)) {
        throw invalid(field + ".role", "Input should be 'user' or 'assistant'");
      }
      Object content = m.getValue("content");
      if (content == null) {
        throw required(field + ".content");
      }
      if (content instanceof String s) {
        out.add(ChatMessage.of(user ? Role.USER : Role.ASSISTANT, s));
        continue;
      }
      if (!(content instanceof JsonArray blocks)) {
        throw invalid(field + ".content", "Input should be a valid string or a list of content blocks");
      }
      if (user) {
        user(out, blocks, field + ".content");
      } else {
        out.add(new ChatMessage(Role.ASSISTANT, blocks(blocks, field + ".content", false), null));
      }
    }
    return out;
  }

  /** A user turn: runs of tool results become tool messages, the rest user messages, in order. */
  private static void user(List<ChatMessage> out, JsonArray blocks, String field) {
    List<ContentPart> results = new ArrayList<>();
    List<ContentPart> other = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      ContentPart part = block(blocks.getValue(i), field + "." + i, true);
      if (part instanceof ContentPart.ToolResult) {
        if (!other.isEmpty()) {
          out.add(new ChatMessage(Role.USER, other, null));
          other = new ArrayList<>();
        }
        results.add(part);
      } else {
        if (!results.isEmpty()) {
          out.add(new ChatMessage(Role.TOOL, results, null));
          results = new ArrayList<>();
        }
        other.add(part);
      }
    }
    if (!results.isEmpty()) {
      out.add(new ChatMessage(Role.TOOL, results, null));
    }
    if (!other.isEmpty() || blocks.isEmpty()) {
      out.add(new ChatMessage(Role.USER, other, null));
    }
  }

  private static List<ContentPart> blocks(JsonArray blocks, String field, boolean userTurn) {
    List<ContentPart> out = new ArrayList<>(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      out.add(block(blocks.getValue(i), field + "." + i, userTurn));
    }
    return out;
  }

  private static ContentPart block(Object value, String field, boolean userTurn) {
    if (!(value instanceof JsonObject block)) {
      throw invalid(field, "Input should be a valid dictionary");
    }
    if (!(block.getValue("type") instanceof String type)) {
      throw required(field + ".type");
    }
    return switch (type) {
      case "text" -> text(block, field);
      case "image" -> image(block, field);
      case "tool_use" -> {
        String id = AnthropicFields.string(block, "id", field + ".id", true);
        String name = AnthropicFields.string(block, "name", field + ".name", true);
        Object input = block.getValue("input");
        if (input == null) {
          throw required(field + ".input");
        }
        if (!(input instanceof JsonObject o)) {
          throw invalid(field + ".input", "Input should be a valid dictionary");
        }
        yield new ContentPart.ToolUse(id, name, new RawJson(o.encode()), cache(block, field));
      }
      case "tool_result" -> {
        if (!userTurn) {
          throw invalid(field + ".type", "tool_result blocks are only allowed in user messages");
        }
        yield toolResult(block, field);
      }
      case "thinking" -> {
        String thinking = AnthropicFields.string(block, "thinking", field + ".thinking", true);
        String signature = AnthropicFields.string(block, "signature", field + ".signature", true);
        yield new ContentPart.Reasoning(thinking, signature, null);
      }
      case "redacted_thinking" ->
          new ContentPart.Reasoning(null, null, AnthropicFields.string(block, "data", field + ".data", true));
      default -> opaque(block, type);
    };
  }

  static ContentPart.Text text(JsonObject block, String field) {
    String text = AnthropicFields.string(block, "text", field + ".text", true);
    return new ContentPart.Text(text, cache(block, field));
  }

  /** {@code source}: base64 with a media type, or a URL; a file reference is Anthropic's alone. */
  private static ContentPart image(JsonObject block, String field) {
    if (!(block.getValue("source") instanceof JsonObject source)) {
      throw required(field + ".source");
    }
    Object kind = source.getValue("type");
    if ("base64".equals(kind)) {
      String mediaType = AnthropicFields.string(source, "media_type", field + ".source.media_type", true);
      String data = AnthropicFields.string(source, "data", field + ".source.data", true);
      return new ContentPart.Image(null, mediaType, data, null, cache(block, field));
    }
    if ("url".equals(kind)) {
      String url = AnthropicFields.string(source, "url", field + ".source.url", true);
      return new ContentPart.Image(url, null, null, null, cache(block, field));
    }
    if ("file".equals(kind)) {
      return opaque(block, "image:file");
    }
    throw invalid(field + ".source.type", "Input should be 'base64', 'url' or 'file'");
  }

  /** Content a string or blocks (text, images; documents and search results stay opaque). */
  private static ContentPart toolResult(JsonObject block, String field) {
    String id = AnthropicFields.string(block, "tool_use_id", field + ".tool_use_id", true);
    boolean isError = AnthropicFields.bool(block, "is_error", field + ".is_error");
    Object content = block.getValue("content");
    List<ContentPart> parts;
    if (content == null) {
      parts = List.of();
    } else if (content instanceof String s) {
      parts = List.of(new ContentPart.Text(s));
    } else if (content instanceof JsonArray inner) {
      parts = new ArrayList<>(inner.size());
      for (int i = 0; i < inner.size(); i++) {
        ContentPart p = block(inner.getValue(i), field + ".content." + i, false);
        if (p instanceof ContentPart.ToolUse || p instanceof ContentPart.Reasoning) {
          throw invalid(field + ".content." + i + ".type", "is not allowed in a tool result");
        }
        parts.add(p);
      }
    } else {
      throw invalid(field + ".content", "Input should be a valid string or a list of content blocks");
    }
    return new ContentPart.ToolResult(id, parts, isError, cache(block, field));
  }

  private static ContentPart.Opaque opaque(JsonObject block, String kind) {
    return new ContentPart.Opaque(Dialect.ANTHROPIC, kind, new RawJson(block.encode()));
  }

  /** {@code cache_control: {"type": "ephemeral", "ttl"?}}; null when absent. */
  static CacheControl cache(JsonObject block, String field) {
    Object value = block.getValue("cache_control");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject cc) || !"ephemeral".equals(cc.getValue("type"))) {
      throw invalid(field + ".cache_control.type", "Input should be 'ephemeral'");
    }
    Object ttl = cc.getValue("ttl");
    if (ttl != null && !(ttl instanceof String)) {
      throw invalid(field + ".cache_control.ttl", "Input should be '5m' or '1h'");
    }
    return ttl == null ? CacheControl.EPHEMERAL : new CacheControl((String) ttl);
  }
}
