package io.tollgate.connector.vertex;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.gemini.GeminiExchange;
import io.tollgate.connector.oauth.GoogleTokens;
import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * One call to Gemini on Vertex AI: the Gemini exchange (same body, stream, usage and errors) with
 * the service-account key traded for an access token first, and Vertex's URL.
 */
final class VertexExchange extends GeminiExchange {

  private final VertexEndpoint endpoint;
  private String project;

  VertexExchange(ProviderContext context, VertexEndpoint endpoint, ProviderCall call) {
    super(context, endpoint, call);
    this.endpoint = endpoint;
  }

  /** The project (the deployment's, else the key's {@code project_id}) and an access token for the key. */
  @Override
  protected Future<String> authorize(DeploymentConfig deployment, String keyJson) {
    project = project(deployment, keyJson);
    return keyJson == null ? Future.succeededFuture(null) : GoogleTokens.token(context, deployment, keyJson);
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String token) {
    return endpoint.requestOptions(deployment, call.call().model(), project, token);
  }

  /** The deployment's project, else the key's {@code project_id}; null when neither says. */
  static String project(DeploymentConfig deployment, String keyJson) {
    return deployment.project() != null && !deployment.project().isBlank() ? deployment.project().trim()
        : keyJson == null ? null : projectOf(keyJson);
  }

  /** Only the project id is read here (no key parsing on the event loop); a broken file fails the token fetch. */
  private static String projectOf(String keyJson) {
    try {
      Object id = new JsonObject(keyJson).getValue("project_id");
      return id instanceof String s && !s.isBlank() ? s : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
