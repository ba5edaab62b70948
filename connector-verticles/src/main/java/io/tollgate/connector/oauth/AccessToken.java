package io.tollgate.connector.oauth;

/**
 * An OAuth2 access token and when it stops being valid (the token endpoint's {@code expires_in}
 * counted from when the request was sent, so a slow answer errs on the early side).
 *
 * @param value       what goes after {@code Bearer}
 * @param expiresAtMs the cache clock's time at which the token expires
 */
public record AccessToken(String value, long expiresAtMs) {

  /** Never the token itself: records print themselves in logs and exceptions. */
  @Override
  public String toString() {
    return "AccessToken[value=********, expiresAtMs=" + expiresAtMs + "]";
  }
}
