package io.tollgate.api.chat;

/**
 * The shape the answer must have: free text, any JSON object, or JSON following a schema.
 *
 * @param name   the schema's name (OpenAI requires one), for {@link Type#JSON_SCHEMA}
 * @param schema the JSON schema, for {@link Type#JSON_SCHEMA}
 */
public record ResponseFormat(Type type, String name, RawJson schema, Boolean strict) {

  public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }

  public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, null);
}
