package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The request every streaming provider sends, before its own auth and version headers. */
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
    return options.setMethod(HttpMethod.POST)
        .setConnectTimeout(deployment.timeouts().connectMs())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream, application/json")
        .putHeader(HttpHeaders.USER_AGENT, userAgent);
  }
}
