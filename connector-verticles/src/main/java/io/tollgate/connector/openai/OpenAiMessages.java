package io.tollgate.connector.openai;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.Role;
import io.tollgate.connector.Untranslatable;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical messages to OpenAI chat messages. A message's text stays a plain string when it is
 * all text (what every OpenAI-compatible server accepts); images make it an array of parts. A
 * tool message becomes one {@code tool} message per result; an assistant's tool-use parts become
 * its {@code tool_calls} with the input as a JSON string.
 */
final class OpenAiMessages {

  private OpenAiMessages() {
  }

  static void add(JsonArray out, ChatMessage m) {
    if (m.role() == Role.TOOL) {
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.ToolResult r) {
          out.add(toolResult(r));
        } else {
          throw Untranslatable.because("a tool message may hold only tool results in an openai request");
        }
      }
      return;
    }
    JsonObject json = new JsonObject().put("role", m.role().wire());
    List<ContentPart> body = new ArrayList<>(m.content().size());
    JsonArray toolCalls = null;
    for (ContentPart p : m.content()) {
      if (p instanceof ContentPart.ToolUse u) {
        if (toolCalls == null) {
          toolCalls = new JsonArray();
        }
        toolCalls.add(new JsonObject().put("id", u.id()).put("type", "function")
            .put("function", new JsonObject().put("name", u.name()).put("arguments", arguments(u))));
      } else if (p instanceof ContentPart.ToolResult r) {
        // Anthropic puts tool results in user messages; OpenAI wants them as tool messages.
        out.add(toolResult(r));
      } else if (!(p instanceof ContentPart.Reasoning)) {
        body.add(p);
      }
    }
    if (body.isEmpty() && toolCalls == null && m.content().stream().anyMatch(ContentPart.ToolResult.class::isInstance)) {
      return;
    }
    json.put("content", content(body, toolCalls != null));
    if (m.name() != null) {
      json.put("name", m.name());
    }
    if (toolCalls != null) {
      json.put("tool_calls", toolCalls);
    }
    out.add(json);
  }

  /** A string when the parts are all text (joined), else OpenAI content parts; null for a bare tool call. */
  private static Object content(List<ContentPart> parts, boolean hasToolCalls) {
    if (parts.isEmpty()) {
      return hasToolCalls ? null : "";
    }
    boolean allText = parts.stream().allMatch(ContentPart.Text.class::isInstance);
    if (allText) {
      StringBuilder sb = new StringBuilder();
      for (ContentPart p : parts) {
        sb.append(((ContentPart.Text) p).text());
      }
      return sb.toString();
    }
    JsonArray out = new JsonArray();
    for (ContentPart p : parts) {
      out.add(part(p));
    }
    return out;
  }

  private static JsonObject part(ContentPart p) {
    if (p instanceof ContentPart.Text t) {
      return new JsonObject().put("type", "text").put("text", t.text());
    }
    if (p instanceof ContentPart.Image i) {
      String url = i.url() != null ? i.url() : "data:" + i.mediaType() + ";base64," + i.data();
      JsonObject image = new JsonObject().put("url", url);
      if (i.detail() != null) {
        image.put("detail", i.detail());
      }
      return new JsonObject().put("type", "image_url").put("image_url", image);
    }
    if (p instanceof ContentPart.Opaque o && o.dialect() == Dialect.OPENAI_CHAT) {
      return new JsonObject(o.json().json());
    }
    if (p instanceof ContentPart.Opaque o) {
      throw Untranslatable.part(o, "openai");
    }
    throw Untranslatable.because("a " + p.getClass().getSimpleName() + " part cannot be sent in an openai message");
  }

  /**
   * OpenAI tool messages carry text only: the result's text parts, joined. Images in a tool
   * result have no place in an OpenAI request and are refused by name rather than dropped.
   */
  private static JsonObject toolResult(ContentPart.ToolResult r) {
    for (ContentPart inner : r.content()) {
      if (!(inner instanceof ContentPart.Text)) {
        throw Untranslatable.because("a tool result with " + kind(inner) + " content cannot be sent to an openai upstream");
      }
    }
    String text = r.text();
    return new JsonObject().put("role", "tool").put("tool_call_id", r.toolUseId())
        .put("content", r.isError() && !text.startsWith("Error") ? "Error: " + text : text);
  }

  /** The arguments string OpenAI expects: the JSON object's text, or the text a client sent as-is. */
  private static String arguments(ContentPart.ToolUse u) {
    if (u.input() == null) {
      return "{}";
    }
    String json = u.input().json();
    if (!json.isEmpty() && json.charAt(0) == '"') {
      return (String) Json.decodeValue(json);
    }
    return json;
  }

  private static String kind(ContentPart p) {
    return p instanceof ContentPart.Image ? "image" : p instanceof ContentPart.Opaque o ? o.kind() : "non-text";
  }
}
