package io.tollgate.connector.gemini;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Role;
import io.tollgate.connector.Untranslatable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical messages to Gemini {@code contents} and {@code systemInstruction}.
 *
 * <ul>
 *   <li>SYSTEM and DEVELOPER messages, wherever they are, become the parts of
 *       {@code systemInstruction} in order (Gemini has no system turn).</li>
 *   <li>USER is {@code user}, ASSISTANT is {@code model}; text is {@code text}, an inline image
 *       {@code inlineData}, an image URL {@code fileData} (its MIME type from the request or the
 *       file name's extension).</li>
 *   <li>An assistant's tool call is a {@code functionCall} part. A tool result is a
 *       {@code functionResponse} part in a {@code user} turn, named after the call it answers
 *       (found by id among the earlier calls; Gemini matches responses by name). Consecutive tool
 *       results share one turn, as Gemini expects one response part per call of the turn. The
 *       response object is the result itself when its text is a JSON object, else
 *       {@code {"output": text}}, or {@code {"error": text}} for a failed call.</li>
 *   <li>Reasoning of earlier turns is dropped (Gemini's thought signatures are not kept across
 *       dialects); parts only another dialect knows are refused with a 400 naming them.</li>
 * </ul>
 */
final class GeminiContents {

  static final String UPSTREAM = "gemini";

  private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
      "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif");

  private final JsonArray contents = new JsonArray();
  private final JsonArray system = new JsonArray();
  /** Tool-call ids seen so far, with the function each called. */
  private final Map<String, String> callNames = new HashMap<>();
  private JsonObject toolTurn;

  static GeminiContents of(List<ChatMessage> messages) {
    GeminiContents c = new GeminiContents();
    for (ChatMessage m : messages) {
      c.add(m);
    }
    return c;
  }

  JsonArray contents() {
    return contents;
  }

  /** Null when the request had no system or developer message. */
  JsonObject systemInstruction() {
    return system.isEmpty() ? null : new JsonObject().put("parts", system);
  }

  private void add(ChatMessage m) {
    if (m.role() == Role.TOOL) {
      if (toolTurn == null) {
        toolTurn = new JsonObject().put("role", "user").put("parts", new JsonArray());
        contents.add(toolTurn);
      }
      for (ContentPart p : m.content()) {
        toolTurn.getJsonArray("parts").add(toolResult(p));
      }
      return;
    }
    toolTurn = null;
    if (m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER) {
      for (ContentPart p : m.content()) {
        if (!(p instanceof ContentPart.Text t)) {
          throw Untranslatable.because("a " + m.role().name().toLowerCase(Locale.ROOT)
              + " message with other parts than text for a Gemini upstream");
        }
        system.add(new JsonObject().put("text", t.text()));
      }
      return;
    }
    boolean model = m.role() == Role.ASSISTANT;
    JsonArray parts = new JsonArray();
    for (ContentPart p : m.content()) {
      JsonObject part = part(p, model);
      if (part != null) {
        parts.add(part);
      }
    }
    if (!parts.isEmpty()) {
      contents.add(new JsonObject().put("role", model ? "model" : "user").put("parts", parts));
    }
  }

  private JsonObject part(ContentPart p, boolean model) {
    if (p instanceof ContentPart.Text t) {
      // Gemini refuses empty text parts; an assistant turn with tool calls often carries content "".
      return t.text() == null || t.text().isEmpty() ? null : new JsonObject().put("text", t.text());
    }
    if (p instanceof ContentPart.Image i) {
      return image(i);
    }
    if (p instanceof ContentPart.ToolUse u && model) {
      if (u.id() != null) {
        callNames.put(u.id(), u.name());
      }
      return new JsonObject().put("functionCall", new JsonObject().put("name", u.name())
          .put("args", u.input() == null ? new JsonObject() : object(u.input(), "tool call arguments")));
    }
    if (p instanceof ContentPart.Reasoning) {
      return null;
    }
    if (p instanceof ContentPart.Opaque o) {
      throw Untranslatable.part(o, UPSTREAM);
    }
    throw Untranslatable.because("a " + p.getClass().getSimpleName() + " part in a "
        + (model ? "model" : "user") + " turn for a Gemini upstream");
  }

  static JsonObject image(ContentPart.Image i) {
    if (i.data() != null) {
      return new JsonObject().put("inlineData", new JsonObject().put("mimeType", i.mediaType()).put("data", i.data()));
    }
    JsonObject file = new JsonObject();
    String type = i.mediaType() != null ? i.mediaType() : typeOf(i.url());
    if (type != null) {
      file.put("mimeType", type);
    }
    return new JsonObject().put("fileData", file.put("fileUri", i.url()));
  }

  private JsonObject toolResult(ContentPart p) {
    if (!(p instanceof ContentPart.ToolResult r)) {
      throw Untranslatable.because("a tool message part that is not a tool result for a Gemini upstream");
    }
    String name = callNames.get(r.toolUseId());
    if (name == null) {
      throw Untranslatable.because("the tool result for call '" + r.toolUseId()
          + "' answers no earlier tool call of the conversation, and Gemini needs the function's name");
    }
    for (ContentPart inner : r.content()) {
      if (!(inner instanceof ContentPart.Text)) {
        throw Untranslatable.because("a tool result with other parts than text for a Gemini upstream");
      }
    }
    return new JsonObject().put("functionResponse", new JsonObject().put("name", name)
        .put("response", response(r.text(), r.isError())));
  }

  private static JsonObject response(String text, boolean isError) {
    if (isError) {
      return new JsonObject().put("error", text);
    }
    String trimmed = text.trim();
    if (trimmed.startsWith("{")) {
      try {
        return new JsonObject(trimmed);
      } catch (RuntimeException notJson) {
        // Text that merely starts with a brace: sent as text.
      }
    }
    return new JsonObject().put("output", text);
  }

  /** JSON text that must be an object for Gemini (arguments, schemas); anything else is a 400. */
  static JsonObject object(io.tollgate.api.chat.RawJson json, String what) {
    try {
      return new JsonObject(json.json());
    } catch (RuntimeException notAnObject) {
      throw Untranslatable.because(what + " that are not a JSON object for a Gemini upstream");
    }
  }

  private static String typeOf(String url) {
    String path = url;
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
