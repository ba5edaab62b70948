package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import java.util.function.Function;

/**
 * Resolves a deployment's {@code api_key}: a literal, or a {@code ${ENV_VAR}} reference looked up
 * on this connector node at call time, so the secret never crosses the event bus.
 */
public final class Credentials {

  private Credentials() {
  }

  /** The credential, or null when none is configured; fails with UPSTREAM_AUTH if a reference is unset. */
  public static String resolve(String apiKey, Function<String, String> environment) {
    if (apiKey == null || apiKey.isBlank()) {
      return null;
    }
    String trimmed = apiKey.trim();
    if (!trimmed.startsWith("${") || !trimmed.endsWith("}")) {
      return trimmed;
    }
    String variable = trimmed.substring(2, trimmed.length() - 1).trim();
    String value = variable.isEmpty() ? null : environment.apply(variable);
    if (value == null || value.isBlank()) {
      throw new GatewayException(ErrorCode.UPSTREAM_AUTH,
          "credential " + variable + " is not set on this connector node");
    }
    return value.trim();
  }
}
