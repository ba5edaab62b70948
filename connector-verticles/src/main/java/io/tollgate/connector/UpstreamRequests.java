package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;

/**
 * The request every streaming provider sends, before its own auth and version headers: the
 * deployment's {@code headers} (values never logged) and its preset's default headers included.
 */
public final class UpstreamRequests {

  private UpstreamRequests() {
  }

  /**
   * A JSON POST to {@code url} that accepts an event stream or JSON, with the deployment's connect
   * timeout. A URL no request can be built from is the deployment's fault: unreachable, naming it.
   */
  public static RequestOptions jsonPost(DeploymentConfig deployment, String url, String userAgent) {
    RequestOptions options;
    try {
      options = new RequestOptions().setAbsoluteURI(url);
    } catch (RuntimeException e) {
      throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE,
          "deployment " + deployment.id() + " has an invalid base_url");
    }
    options.setMethod(HttpMethod.POST).setConnectTimeout(deployment.timeouts().connectMs());
    // The deployment's extra headers first (its preset's defaults under its own), then the protocol's:
    // a configured header cannot change the body's type; the provider's auth header is set after this.
    if (deployment.preset() != null) {
      deployment.preset().defaultHeaders().forEach((name, value) -> {
        if (deployment.headers() == null || !containsIgnoreCase(deployment.headers(), name)) {
          options.putHeader(name, value);
        }
      });
    }
    if (deployment.headers() != null) {
      deployment.headers().forEach(options::putHeader);
    }
    options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream, application/json");
    if (options.getHeaders() == null || !options.getHeaders().contains(HttpHeaders.USER_AGENT)) {
      options.putHeader(HttpHeaders.USER_AGENT, userAgent);
    }
    return options;
  }

  private static boolean containsIgnoreCase(Map<String, String> headers, String name) {
    return headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
  }
}
