package io.tollgate.edge.format.responses;

import static io.tollgate.edge.format.JsonFields.invalid;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.edge.format.OpenAiFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Responses {@code input} items into canonical messages. The Responses API lists an assistant
 * turn as separate items (reasoning, message, function calls); the canonical model has one
 * assistant message holding them all, so consecutive assistant-side items are merged. Each
 * {@code function_call_output} is a {@link Role#TOOL} message. Item types only the Responses API
 * knows (hosted tool calls, item references ...) are kept opaque, named in the 400 of an upstream
 * that cannot take them.
 */
final class ResponsesItems {

  private static final List<String> ROLES = List.of("user", "assistant", "system", "developer");

  private ResponsesItems() {
  }

  /** {@code input} as a string: one user message. */
  static ChatMessage userText(String text) {
    return ChatMessage.of(Role.USER, text);
  }

  /** Appends the messages of {@code items} to {@code out}; {@code field} names the array in errors. */
  static void messages(JsonArray items, String field, List<ChatMessage> out) {
    for (int i = 0; i < items.size(); i++) {
      String itemField = field + "[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw invalid(itemField, "must be an object");
      }
      Object typeValue = item.getValue("type");
      if (typeValue != null && !(typeValue instanceof String)) {
        throw invalid(itemField + ".type", "must be a string");
      }
      // An item without a type but with a role is a message ("EasyInputMessage").
      String type = typeValue == null ? "message" : (String) typeValue;
      switch (type) {
        case "message" -> message(item, itemField, out);
        case "function_call" -> assistantPart(out, functionCall(item, itemField));
        case "function_call_output" -> out.add(new ChatMessage(Role.TOOL, List.of(toolResult(item, itemField)), null));
        case "reasoning" -> assistantPart(out, reasoning(item, itemField));
        default -> out.add(new ChatMessage(Role.USER,
            List.of(new ContentPart.Opaque(Dialect.OPENAI_RESPONSES, type, new RawJson(item.encode()))), null));
      }
    }
  }

  private static void message(JsonObject item, String field, List<ChatMessage> out) {
    Role role = item.getValue("role") instanceof String r && ROLES.contains(r) ? Role.fromWire(r) : null;
    if (role == null) {
      throw invalid(field + ".role", "must be one of " + ROLES);
    }
    List<ContentPart> parts = content(item.getValue("content"), field + ".content");
    if (role == Role.ASSISTANT) {
      for (ContentPart p : parts) {
        assistantPart(out, p);
      }
      if (parts.isEmpty()) {
        out.add(new ChatMessage(Role.ASSISTANT, List.of(), null));
      }
    } else {
      out.add(new ChatMessage(role, parts, null));
    }
  }

  /** Adds a part to the assistant message the conversation ends with, or starts one. */
  private static void assistantPart(List<ChatMessage> out, ContentPart part) {
    if (!out.isEmpty() && out.get(out.size() - 1).role() == Role.ASSISTANT) {
      ChatMessage last = out.remove(out.size() - 1);
      List<ContentPart> parts = new ArrayList<>(last.content());
      parts.add(part);
      out.add(new ChatMessage(Role.ASSISTANT, parts, null));
    } else {
      out.add(new ChatMessage(Role.ASSISTANT, List.of(part), null));
    }
  }

  /** A message's content: a string, or input_text / output_text / input_image parts. */
  static List<ContentPart> content(Object content, String field) {
    if (content instanceof String s) {
      return List.of(new ContentPart.Text(s));
    }
    if (!(content instanceof JsonArray array)) {
      throw content == null ? invalid(field, "is required")
          : invalid(field, "must be a string or an array of content parts");
    }
    List<ContentPart> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String partField = field + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
        throw invalid(partField, "must be an object with a type");
      }
      switch (type) {
        case "input_text", "output_text" -> {
          if (!(part.getValue("text") instanceof String text)) {
            throw invalid(partField + ".text", "must be a string");
          }
          out.add(new ContentPart.Text(text));
        }
        case "input_image" -> out.add(image(part, partField));
        // A refusal the model wrote earlier is what it said: text, for any upstream.
        case "refusal" -> {
          if (!(part.getValue("refusal") instanceof String refusal)) {
            throw invalid(partField + ".refusal", "must be a string");
          }
          out.add(new ContentPart.Text(refusal));
        }
        default -> out.add(new ContentPart.Opaque(Dialect.OPENAI_RESPONSES, type, new RawJson(part.encode())));
      }
    }
    return out;
  }

  /** {@code {"type":"input_image","image_url":"https://..." | "data:image/png;base64,...","detail"}}; a file_id is opaque. */
  private static ContentPart image(JsonObject part, String field) {
    Object detail = part.getValue("detail");
    if (detail != null && !(detail instanceof String)) {
      throw invalid(field + ".detail", "must be a string");
    }
    Object url = part.getValue("image_url");
    if (url == null && part.getValue("file_id") != null) {
      return new ContentPart.Opaque(Dialect.OPENAI_RESPONSES, "input_image.file_id", new RawJson(part.encode()));
    }
    if (!(url instanceof String u) || u.isBlank()) {
      throw invalid(field + ".image_url", "is required (a URL or a base64 data URL)");
    }
    return OpenAiFields.image(u, (String) detail, field + ".image_url");
  }

  /** {@code {"type":"function_call","call_id","name","arguments":"<json>"}}: a tool use with the call id. */
  private static ContentPart functionCall(JsonObject item, String field) {
    if (!(item.getValue("call_id") instanceof String callId) || callId.isBlank()) {
      throw invalid(field + ".call_id", "is required");
    }
    if (!(item.getValue("name") instanceof String name) || name.isBlank()) {
      throw invalid(field + ".name", "is required");
    }
    Object args = item.getValue("arguments");
    if (args != null && !(args instanceof String)) {
      throw invalid(field + ".arguments", "must be a string of JSON");
    }
    return new ContentPart.ToolUse(callId, name, OpenAiFields.arguments((String) args), null);
  }

  private static ContentPart toolResult(JsonObject item, String field) {
    if (!(item.getValue("call_id") instanceof String callId) || callId.isBlank()) {
      throw invalid(field + ".call_id", "is required");
    }
    Object output = item.getValue("output");
    if (output == null) {
      throw invalid(field + ".output", "is required");
    }
    return new ContentPart.ToolResult(callId, content(output, field + ".output"), false, null);
  }

  /**
   * Reasoning text ({@code content} reasoning_text parts, else the {@code summary}); an
   * {@code encrypted_content} is the opaque form only the model that wrote it can read, or signed
   * thinking the gateway relayed ({@link SignedReasoning}), which becomes that text and signature.
   */
  private static ContentPart reasoning(JsonObject item, String field) {
    StringBuilder text = new StringBuilder();
    Object content = item.getValue("content");
    Object source = content instanceof JsonArray a && !a.isEmpty() ? a : item.getValue("summary");
    if (source != null && !(source instanceof JsonArray)) {
      throw invalid(field + ".summary", "must be an array");
    }
    if (source instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject o && o.getValue("text") instanceof String t) {
          text.append(t);
        }
      }
    }
    Object encrypted = item.getValue("encrypted_content");
    if (encrypted != null && !(encrypted instanceof String)) {
      throw invalid(field + ".encrypted_content", "must be a string");
    }
    if (encrypted instanceof String s) {
      // Thinking this gateway relayed with its signature: the signed text, exactly as the upstream wrote it.
      ContentPart.Reasoning signed = SignedReasoning.decode(s, field + ".encrypted_content");
      if (signed != null) {
        return signed;
      }
    }
    return new ContentPart.Reasoning(text.isEmpty() ? null : text.toString(), null, (String) encrypted);
  }
}
