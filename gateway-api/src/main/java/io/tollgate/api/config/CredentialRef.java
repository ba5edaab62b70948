package io.tollgate.api.config;

import java.util.regex.Pattern;

/**
 * What a deployment's {@code api_key} says about where its upstream secret is. One parser for the
 * admin API's validation, the config loader and the connector, so every node reads a value the same way:
 *
 * <ul>
 *   <li>{@code ${VAR}}: the environment variable {@code VAR} of the connector node;</li>
 *   <li>{@code file:/abs/path}: the content of that file on the connector node, trimmed;</li>
 *   <li>{@code secret:<deployment-id>}: a literal key the admin role stores encrypted in its
 *       database; connector nodes ask an admin node for it ({@link ConfigAddresses#SECRET});</li>
 *   <li>anything else: a literal key. Literals never leave the node that read them: the admin role
 *       replaces them with a {@code secret:} marker before anything is stored or published.</li>
 * </ul>
 *
 * @param kind  which of the above
 * @param value the variable name, the absolute path, the deployment id, or the literal key
 */
public record CredentialRef(Kind kind, String value) {

  /** Where the secret is. */
  public enum Kind { ENV, FILE, SECRET, LITERAL }

  public static final String FILE_PREFIX = "file:";
  public static final String SECRET_PREFIX = "secret:";
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Parses an {@code api_key}; null or blank is null (no credential). A value that looks like a
   * reference but is malformed ({@code ${1X}}, {@code file:relative}) is an IllegalArgumentException
   * whose message says what is expected and never repeats the value (it may be a mistyped secret).
   */
  public static CredentialRef parse(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      return null;
    }
    String s = apiKey.trim();
    if (s.startsWith("${") && s.endsWith("}")) {
      String variable = s.substring(2, s.length() - 1).trim();
      if (!VARIABLE.matcher(variable).matches()) {
        throw new IllegalArgumentException("a ${VAR} reference must name an environment variable "
            + "(letters, digits, _; not starting with a digit)");
      }
      return new CredentialRef(Kind.ENV, variable);
    }
    if (s.startsWith(FILE_PREFIX)) {
      String path = s.substring(FILE_PREFIX.length());
      if (!path.startsWith("/") || path.length() < 2) {
        throw new IllegalArgumentException("a file: reference needs an absolute path (file:/run/secrets/openai)");
      }
      return new CredentialRef(Kind.FILE, path);
    }
    if (s.startsWith(SECRET_PREFIX)) {
      String id = s.substring(SECRET_PREFIX.length());
      if (id.isBlank()) {
        throw new IllegalArgumentException("a secret: marker needs the deployment id (secret:<deployment-id>)");
      }
      return new CredentialRef(Kind.SECRET, id);
    }
    return new CredentialRef(Kind.LITERAL, s);
  }

  /** The marker that stands for the stored secret of {@code deploymentId}. */
  public static String secretMarker(String deploymentId) {
    return SECRET_PREFIX + deploymentId;
  }

  /** Whether the value names where the secret is, rather than being it. */
  public boolean isReference() {
    return kind != Kind.LITERAL;
  }

  /** Never the literal secret: records print themselves in logs and exceptions. */
  @Override
  public String toString() {
    return switch (kind) {
      case ENV -> "${" + value + "}";
      case FILE -> FILE_PREFIX + value;
      case SECRET -> SECRET_PREFIX + value;
      case LITERAL -> "literal(********)";
    };
  }
}
