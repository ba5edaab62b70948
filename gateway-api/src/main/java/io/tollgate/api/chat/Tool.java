package io.tollgate.api.chat;

/**
 * A tool the model may call. Function tools ({@code opaque == null}) translate between every
 * dialect; a dialect's built-in tools (Anthropic's web search or bash, OpenAI's hosted tools)
 * are {@code opaque} and reach only an upstream of that dialect.
 *
 * @param parameters the JSON schema of the arguments (an object schema)
 * @param strict     OpenAI's strict schema adherence, null when unset
 */
public record Tool(String name, String description, RawJson parameters, Boolean strict, CacheControl cache,
                   ContentPart.Opaque opaque) {

  public static Tool function(String name, String description, RawJson parameters) {
    return new Tool(name, description, parameters, null, null, null);
  }

  public boolean isFunction() {
    return opaque == null;
  }
}
