package io.tollgate.api.chat;

import java.util.List;

/**
 * One message of a chat in the canonical model: a role and typed content parts. Tool calls are
 * {@link ContentPart.ToolUse} parts of an assistant message; tool results are
 * {@link ContentPart.ToolResult} parts of a {@link Role#TOOL} message.
 *
 * @param name OpenAI's participant name, null elsewhere
 */
public record ChatMessage(Role role, List<ContentPart> content, String name) {

  public ChatMessage {
    content = content == null ? List.of() : List.copyOf(content);
  }

  public static ChatMessage of(Role role, String text) {
    return new ChatMessage(role, List.of(new ContentPart.Text(text)), null);
  }

  /** The text of the message: its text parts joined. */
  public String text() {
    return textOf(content);
  }

  /** Characters the prompt estimate counts: text, tool arguments and tool results. */
  public long estimateChars() {
    long chars = name == null ? 0 : name.length();
    for (ContentPart p : content) {
      chars += charsOf(p);
    }
    return chars;
  }

  static String textOf(List<ContentPart> parts) {
    if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
      return t.text();
    }
    StringBuilder sb = new StringBuilder();
    for (ContentPart p : parts) {
      if (p instanceof ContentPart.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  private static long charsOf(ContentPart p) {
    if (p instanceof ContentPart.Text t) {
      return t.text().length();
    }
    if (p instanceof ContentPart.ToolUse u) {
      return (u.name() == null ? 0 : u.name().length()) + (u.input() == null ? 0 : u.input().json().length());
    }
    if (p instanceof ContentPart.ToolResult r) {
      long chars = 0;
      for (ContentPart inner : r.content()) {
        chars += charsOf(inner);
      }
      return chars;
    }
    if (p instanceof ContentPart.Reasoning r) {
      return r.text() == null ? 0 : r.text().length();
    }
    return 0;
  }
}
