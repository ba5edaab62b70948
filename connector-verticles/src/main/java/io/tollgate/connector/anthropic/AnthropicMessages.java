package io.tollgate.connector.anthropic;

import io.tollgate.api.chat.CacheControl;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.connector.Untranslatable;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical messages to Anthropic's {@code system} and {@code messages}. Anthropic has no system
 * role and wants user and assistant turns to alternate, so: every system and developer message
 * goes into the top-level {@code system} (wherever it stood); tool results become
 * {@code tool_result} blocks of a user turn; consecutive turns of one role merge into one, with
 * the tool results first (Anthropic requires them to lead the user turn that answers the calls).
 * Unsigned reasoning (from an upstream that does not sign it) is dropped: Anthropic refuses
 * thinking blocks without their signature, and the model does not need it back.
 */
final class AnthropicMessages {

  private static final String UPSTREAM = "anthropic";

  private AnthropicMessages() {
  }

  /** The {@code system} value: a string, or text blocks when any part has cache control; null when none. */
  static Object system(List<ChatMessage> messages) {
    List<JsonObject> blocks = new ArrayList<>();
    boolean asBlocks = false;
    for (ChatMessage m : messages) {
      if (!m.role().instructs()) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          if (t.cache() != null) {
            asBlocks = true;
          }
          if (!t.text().isEmpty()) {
            blocks.add(cached(new JsonObject().put("type", "text").put("text", t.text()), t.cache()));
          }
          text.append(t.text());
        } else if (p instanceof ContentPart.Opaque o && o.dialect() == Dialect.ANTHROPIC) {
          asBlocks = true;
          blocks.add(new JsonObject(o.json().json()));
        } else if (p instanceof ContentPart.Opaque o) {
          throw Untranslatable.part(o, UPSTREAM);
        } else {
          throw Untranslatable.because("a " + m.role().wire() + " message may hold only text for an anthropic upstream");
        }
      }
    }
    if (blocks.isEmpty()) {
      return null;
    }
    if (asBlocks) {
      return new JsonArray(new ArrayList<>(blocks));
    }
    StringBuilder joined = new StringBuilder();
    for (JsonObject b : blocks) {
      if (joined.length() > 0) {
        joined.append("\n\n");
      }
      joined.append(b.getString("text"));
    }
    return joined.toString();
  }

  /** The conversation without its instructions, as alternating user and assistant turns. */
  static JsonArray messages(List<ChatMessage> messages) {
    List<Turn> turns = new ArrayList<>();
    for (ChatMessage m : messages) {
      if (m.role().instructs()) {
        continue;
      }
      String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
      List<JsonObject> blocks = new ArrayList<>();
      for (ContentPart p : m.content()) {
        JsonObject block = block(p, m.role());
        if (block != null) {
          blocks.add(block);
        }
      }
      if (blocks.isEmpty()) {
        continue;
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(role)) {
        last.blocks.addAll(blocks);
      } else {
        turns.add(new Turn(role, blocks));
      }
    }
    JsonArray out = new JsonArray();
    for (Turn t : turns) {
      out.add(new JsonObject().put("role", t.role).put("content", content(t)));
    }
    return out;
  }

  private record Turn(String role, List<JsonObject> blocks) {
  }

  /** One text block without cache control stays a plain string; tool results lead a user turn. */
  private static Object content(Turn t) {
    List<JsonObject> blocks = t.blocks;
    if (blocks.size() == 1 && "text".equals(blocks.get(0).getString("type"))
        && !blocks.get(0).containsKey("cache_control")) {
      return blocks.get(0).getString("text");
    }
    JsonArray out = new JsonArray();
    if (t.role.equals("user")) {
      blocks.stream().filter(b -> "tool_result".equals(b.getString("type"))).forEach(out::add);
      blocks.stream().filter(b -> !"tool_result".equals(b.getString("type"))).forEach(out::add);
    } else {
      blocks.forEach(out::add);
    }
    return out;
  }

  /** A content block, or null for what Anthropic does not take back (empty text, unsigned reasoning). */
  private static JsonObject block(ContentPart p, Role role) {
    if (p instanceof ContentPart.Text t) {
      return t.text().isEmpty() ? null
          : cached(new JsonObject().put("type", "text").put("text", t.text()), t.cache());
    }
    if (p instanceof ContentPart.Image i) {
      return image(i);
    }
    if (p instanceof ContentPart.ToolUse u) {
      if (role != Role.ASSISTANT) {
        throw Untranslatable.because("a tool call may only be in an assistant message");
      }
      return cached(new JsonObject().put("type", "tool_use").put("id", u.id()).put("name", u.name())
          .put("input", input(u)), u.cache());
    }
    if (p instanceof ContentPart.ToolResult r) {
      return toolResult(r);
    }
    if (p instanceof ContentPart.Reasoning r) {
      if (role != Role.ASSISTANT) {
        return null;
      }
      if (r.redacted() != null) {
        return new JsonObject().put("type", "redacted_thinking").put("data", r.redacted());
      }
      return r.signature() == null ? null
          : new JsonObject().put("type", "thinking").put("thinking", r.text() == null ? "" : r.text())
              .put("signature", r.signature());
    }
    if (p instanceof ContentPart.Opaque o && o.dialect() == Dialect.ANTHROPIC) {
      return new JsonObject(o.json().json());
    }
    if (p instanceof ContentPart.Opaque o) {
      throw Untranslatable.part(o, UPSTREAM);
    }
    throw Untranslatable.because("a " + p.getClass().getSimpleName() + " part cannot be sent to an anthropic upstream");
  }

  /** Base64 data as a base64 source (a {@code data:} URL is split into one), a URL as a url source. */
  private static JsonObject image(ContentPart.Image i) {
    JsonObject source;
    String url = i.url();
    if (url != null && url.startsWith("data:")) {
      int semi = url.indexOf(";base64,");
      if (semi < 0) {
        throw Untranslatable.because("an image data URL that is not base64");
      }
      source = base64(url.substring(5, semi), url.substring(semi + 8));
    } else if (url != null) {
      source = new JsonObject().put("type", "url").put("url", url);
    } else {
      source = base64(i.mediaType(), i.data());
    }
    return cached(new JsonObject().put("type", "image").put("source", source), i.cache());
  }

  private static JsonObject base64(String mediaType, String data) {
    return new JsonObject().put("type", "base64").put("media_type", mediaType).put("data", data);
  }

  /**
   * One plain text (the common case) stays a string; anything else is content blocks, so several
   * text blocks keep their boundaries and a cache breakpoint on one of them is not lost.
   */
  private static JsonObject toolResult(ContentPart.ToolResult r) {
    JsonObject block = new JsonObject().put("type", "tool_result").put("tool_use_id", r.toolUseId());
    List<ContentPart> parts = r.content();
    boolean plain = parts.isEmpty() || parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t && t.cache() == null;
    if (plain) {
      block.put("content", r.text());
    } else {
      JsonArray content = new JsonArray();
      for (ContentPart inner : r.content()) {
        if (inner instanceof ContentPart.Text || inner instanceof ContentPart.Image
            || inner instanceof ContentPart.Opaque) {
          JsonObject b = block(inner, Role.USER);
          if (b != null) {
            content.add(b);
          }
        } else {
          throw Untranslatable.because("a tool result may hold only text and images for an anthropic upstream");
        }
      }
      block.put("content", content);
    }
    if (r.isError()) {
      block.put("is_error", true);
    }
    return cached(block, r.cache());
  }

  /**
   * Anthropic's {@code input} must be an object: OpenAI arguments arrive as the object's JSON
   * text (a string holding JSON when a client sent text that was not an object).
   */
  private static JsonObject input(ContentPart.ToolUse u) {
    RawJson raw = u.input();
    if (raw == null) {
      return new JsonObject();
    }
    Object value = Json.decodeValue(raw.json());
    if (value instanceof String s) {
      try {
        value = Json.decodeValue(s.isBlank() ? "{}" : s);
      } catch (RuntimeException notJson) {
        value = null;
      }
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    throw Untranslatable.because("the arguments of tool call '" + u.id() + "' are not a JSON object");
  }

  static JsonObject cached(JsonObject block, CacheControl cache) {
    if (cache != null) {
      JsonObject cc = new JsonObject().put("type", "ephemeral");
      if (cache.ttl() != null) {
        cc.put("ttl", cache.ttl());
      }
      block.put("cache_control", cc);
    }
    return block;
  }
}
