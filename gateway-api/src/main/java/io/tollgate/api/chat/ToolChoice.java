package io.tollgate.api.chat;

/**
 * Whether and which tool the model must call. OpenAI's "auto"/"none"/"required"/named function
 * and Anthropic's auto/none/any/tool are the same four modes.
 *
 * @param name the tool, for {@link Mode#NAMED} only
 */
public record ToolChoice(Mode mode, String name) {

  public enum Mode { AUTO, NONE, REQUIRED, NAMED }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  public static ToolChoice named(String name) {
    return new ToolChoice(Mode.NAMED, name);
  }
}
