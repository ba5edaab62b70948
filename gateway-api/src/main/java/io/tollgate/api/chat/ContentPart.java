package io.tollgate.api.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One part of a message's content in the canonical model. Every inbound format parses into these
 * and every connector maps from them; nothing is kept in a dialect's own shape except
 * {@link Opaque}, which only an upstream of the same dialect receives.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
    @JsonSubTypes.Type(value = ContentPart.Image.class, name = "image"),
    @JsonSubTypes.Type(value = ContentPart.ToolUse.class, name = "tool_use"),
    @JsonSubTypes.Type(value = ContentPart.ToolResult.class, name = "tool_result"),
    @JsonSubTypes.Type(value = ContentPart.Reasoning.class, name = "reasoning"),
    @JsonSubTypes.Type(value = ContentPart.Opaque.class, name = "opaque")})
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text, CacheControl cache) implements ContentPart {
    public Text(String text) {
      this(text, null);
    }
  }

  /**
   * An image, either by URL or inline: exactly one of {@code url} and {@code data} is set.
   *
   * @param mediaType "image/png" etc.; required with {@code data}, optional with a URL
   * @param data      base64 bytes without the {@code data:} prefix
   * @param detail    OpenAI's "low"|"high"|"auto"; other dialects ignore it
   */
  record Image(String url, String mediaType, String data, String detail, CacheControl cache) implements ContentPart {
  }

  /**
   * A tool call the assistant made.
   *
   * @param input the arguments as a JSON object (OpenAI sends them as a string holding JSON,
   *              Anthropic as an object; both become this)
   */
  record ToolUse(String id, String name, RawJson input, CacheControl cache) implements ContentPart {
  }

  /** The result of a tool call, answering the {@link ToolUse} with the same id. */
  record ToolResult(String toolUseId, List<ContentPart> content, boolean isError, CacheControl cache)
      implements ContentPart {
    public ToolResult {
      content = content == null ? List.of() : List.copyOf(content);
    }

    /** The text parts joined. */
    public String text() {
      return ChatMessage.textOf(content);
    }
  }

  /**
   * The model's reasoning (Anthropic "thinking"). A signature proves to Anthropic that the text
   * is unchanged and must travel with it; {@code redacted} holds the encrypted form of a redacted
   * block. Upstreams that cannot take reasoning back in a request get it dropped (it is not
   * content the model needs), with a note in the logs.
   */
  record Reasoning(String text, String signature, String redacted) implements ContentPart {
  }

  /**
   * A part only its own dialect understands (audio, files, documents, server tool results ...),
   * kept as the client sent it.
   *
   * @param kind its type in that dialect, named in the 400 when the upstream speaks another
   */
  record Opaque(Dialect dialect, String kind, RawJson json) implements ContentPart {
  }
}
