package io.tollgate.api.chat;

/**
 * One message of a chat request. {@code content} is a String or, for multi-part messages, the list
 * of parts exactly as the client sent them; {@code toolCalls} likewise. The gateway reads only the
 * text and passes the rest through untouched.
 */
public record ChatMessage(String role, Object content, String name, String toolCallId, Object toolCalls) {

  public static ChatMessage of(String role, String text) {
    return new ChatMessage(role, text, null, null, null);
  }

  /** The text of the message: the string content, or the text parts joined. */
  public String text() {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof Iterable<?> parts) {
      StringBuilder sb = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof java.util.Map<?, ?> m && m.get("text") instanceof String t) {
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return "";
  }
}
