package io.tollgate.connector.anthropic;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.UpstreamRequests;
import io.vertx.core.http.RequestOptions;

/**
 * Where and how to reach the Anthropic Messages API: {@code POST {base_url}/v1/messages} with the
 * key in {@code x-api-key} and the API version pinned. {@code base_url} is given without
 * {@code /v1}, as the Anthropic SDKs take it, and defaults to Anthropic's own API.
 */
public class AnthropicEndpoint {

  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  public static final String MESSAGES_PATH = "/v1/messages";
  /** The API version this connector's request and event mapping is written against. */
  public static final String API_VERSION = "2023-06-01";
  public static final String USER_AGENT = "tollgate-connector";

  /** The messages URL of a deployment; a trailing slash on base_url is tolerated. */
  public String messagesUrl(DeploymentConfig deployment) {
    String base = deployment.baseUrl();
    base = base == null || base.isBlank() ? DEFAULT_BASE_URL : base.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + MESSAGES_PATH;
  }

  /** Request options; {@code credential} may be null (a local proxy that adds the key itself). */
  public RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    RequestOptions options = UpstreamRequests.jsonPost(deployment, messagesUrl(deployment), USER_AGENT)
        .putHeader("anthropic-version", API_VERSION);
    if (credential != null) {
      options.putHeader("x-api-key", credential);
    }
    return options;
  }
}
