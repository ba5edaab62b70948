package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.UpstreamRequests;
import io.tollgate.connector.UpstreamErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * Where and how to reach an OpenAI-compatible upstream: {@code POST {base_url}/chat/completions}
 * with a bearer credential. Providers with URL or auth quirks (Azure's deployment path and
 * {@code api-key} header) subclass or wrap this rather than copying the whole package.
 */
public class OpenAiEndpoint {

  public static final String CHAT_PATH = "/chat/completions";
  public static final String EMBEDDINGS_PATH = "/embeddings";
  public static final String COMPLETIONS_PATH = "/completions";
  public static final String USER_AGENT = "tollgate-connector";

  /** The chat completions URL of a deployment; a trailing slash on base_url is tolerated. */
  public String chatUrl(DeploymentConfig deployment) {
    String base = deployment.baseUrl();
    if (base == null || base.isBlank()) {
      throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE,
          "deployment " + deployment.id() + " has no base_url");
    }
    base = base.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + CHAT_PATH;
  }

  /** The embeddings URL: the chat URL with {@value #EMBEDDINGS_PATH} in place of {@value #CHAT_PATH}. */
  public String embeddingsUrl(DeploymentConfig deployment) {
    return forPath(chatUrl(deployment), EMBEDDINGS_PATH);
  }

  /** The legacy completions URL: {@value #COMPLETIONS_PATH} in place of {@value #CHAT_PATH}. */
  public String completionsUrl(DeploymentConfig deployment) {
    return forPath(chatUrl(deployment), COMPLETIONS_PATH);
  }

  /** {@code chatUrl} with another operation's path, keeping any query (Azure's api-version). */
  protected static String forPath(String chatUrl, String path) {
    int at = chatUrl.lastIndexOf(CHAT_PATH);
    return chatUrl.substring(0, at) + path + chatUrl.substring(at + CHAT_PATH.length());
  }

  /** Request options; {@code credential} may be null (local servers without auth). */
  public RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    RequestOptions options = UpstreamRequests.jsonPost(deployment, chatUrl(deployment), USER_AGENT);
    if (credential != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + credential);
    }
    return options;
  }

  /**
   * What the request is sent with: the resolved credential itself (an API key) here; Azure with
   * Entra ID trades its client secret for an access token. Completes on the caller's context.
   */
  public Future<String> authorize(ProviderContext context, DeploymentConfig deployment, String credential) {
    return Future.succeededFuture(credential);
  }

  /**
   * The failure for a non-2xx answer. {@code body} is the error body as read (capped; null when it
   * could not be read): a subclass may recognise its upstream's special errors in it (Azure's content
   * filter). Whatever the upstream said stays out of the message unless it is known to be safe.
   */
  public GatewayException failure(int status, Buffer body) {
    return UpstreamErrors.forStatus(status);
  }
}
