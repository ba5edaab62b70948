package io.tollgate.connector.oauth;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.BoundedBody;
import io.tollgate.connector.EgressGuard;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.UpstreamErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts an OAuth2 token request (a form) with the connector's own HTTP client: asynchronous, so
 * the event loop never waits on it, and under the same egress policy as upstream calls (a token
 * URL from a key file is checked before connecting and the connected address before the
 * credential is sent). The form carries secrets (a client secret, a signed assertion) and is
 * never logged; what the token endpoint said goes to the log with secrets removed.
 */
public final class TokenClient {

  /** The longest a token request may take, whatever the deployment's own timeouts. */
  public static final long DEFAULT_TOKEN_TIMEOUT_MS = 30_000;
  /** Token answers are small; more than this is not a token endpoint. */
  public static final int MAX_TOKEN_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(TokenClient.class);

  private TokenClient() {
  }

  /** The form's {@code application/x-www-form-urlencoded} body. */
  public static String form(Map<String, String> fields) {
    StringJoiner out = new StringJoiner("&");
    fields.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }

  /**
   * Posts {@code form} to {@code tokenUrl} for {@code deployment}; completes with the token, its
   * expiry on {@code clock}'s time, or a failure a client may see (no upstream words in it).
   */
  public static Future<AccessToken> fetch(ProviderContext context, DeploymentConfig deployment, String tokenUrl,
                                          String form, TokenCache clock) {
    String refused = EgressGuard.beforeConnect(context.options().getEgress(), tokenUrl);
    if (refused != null) {
      LOG.warn("deployment={}: token URL {}", deployment.id(), refused);
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "the token endpoint of "
          + "deployment " + deployment.id() + " is refused by the connector's egress policy"));
    }
    RequestOptions options;
    try {
      options = new RequestOptions().setAbsoluteURI(tokenUrl);
    } catch (RuntimeException e) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH,
          "deployment " + deployment.id() + " has an invalid token URL"));
    }
    long timeout = Math.min(DEFAULT_TOKEN_TIMEOUT_MS, deployment.timeouts().firstByteMs());
    options.setMethod(HttpMethod.POST)
        .setConnectTimeout(deployment.timeouts().connectMs())
        .setIdleTimeout(timeout)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
        .putHeader(HttpHeaders.ACCEPT, "application/json");
    long sentAt = clock.now();
    String target = options.getHost() + ":" + options.getPort();
    return context.client(options).request(options)
        .recover(e -> {
          LOG.warn("deployment={} token_endpoint={}: cannot connect: {}", deployment.id(), target,
              UpstreamErrors.kind(e));
          return Future.failedFuture(UpstreamErrors.forConnectFailure(e));
        })
        .compose(request -> send(context, deployment, request, form, target))
        .compose(answer -> token(deployment, answer, sentAt, target));
  }

  private record Answer(int status, Buffer body) {
  }

  private static Future<Answer> send(ProviderContext context, DeploymentConfig deployment, HttpClientRequest request,
                                     String form, String target) {
    String refused = EgressGuard.afterConnect(context.options().getEgress(), request);
    if (refused != null) {
      LOG.warn("deployment={} token_endpoint={}: refused by the egress policy: connected address {}",
          deployment.id(), target, refused);
      request.reset();
      return Future.failedFuture(EgressGuard.refused(deployment.id()));
    }
    return request.send(Buffer.buffer(form))
        .compose(response -> read(request, response))
        .recover(e -> e instanceof GatewayException ? Future.failedFuture(e)
            : Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_ERROR,
                "the token endpoint of deployment " + deployment.id() + " failed (" + UpstreamErrors.kind(e) + ")")));
  }

  private static Future<Answer> read(HttpClientRequest request, HttpClientResponse response) {
    return BoundedBody.read(request, response, MAX_TOKEN_BODY_BYTES)
        .map(r -> new Answer(r.truncated() ? -1 : response.statusCode(), r.bytes()));
  }

  private static Future<AccessToken> token(DeploymentConfig deployment, Answer answer, long sentAt, String target) {
    JsonObject json;
    try {
      json = new JsonObject(answer.body());
    } catch (RuntimeException e) {
      json = null;
    }
    if (answer.status() == 200 && json != null && json.getValue("access_token") instanceof String value
        && !value.isBlank()) {
      long expiresIn = seconds(json.getValue("expires_in"));
      return Future.succeededFuture(new AccessToken(value, sentAt + expiresIn * 1000));
    }
    String error = json != null && json.getValue("error") instanceof String s ? s : null;
    String description = json != null && json.getValue("error_description") instanceof String s ? s : null;
    LOG.warn("deployment={} token_endpoint={}: answered HTTP {}: {} {}", deployment.id(), target,
        answer.status() < 0 ? "with a body over " + MAX_TOKEN_BODY_BYTES + " bytes" : answer.status(),
        error == null ? "" : error, UpstreamErrors.detail(description, null));
    int status = answer.status();
    String what = "the token endpoint of deployment " + deployment.id();
    if (status == 429) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_RATE_LIMITED, what + " is rate limiting"));
    }
    if (status >= 500 || status == 200 || status < 0) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_ERROR, what + " failed"
          + (status >= 500 ? " (HTTP " + status + ")" : " (no access token in its answer)")));
    }
    // OAuth2's error codes (invalid_client, invalid_grant ...) are protocol words, safe to show.
    return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH, what + " refused its credential"
        + (error != null && error.matches("[a-z_]{1,40}") ? " (" + error + ")" : " (HTTP " + status + ")")));
  }

  /** {@code expires_in}: a number, or a string of one (Entra ID's v1 endpoint); one hour if absent. */
  private static long seconds(Object value) {
    if (value instanceof Number n) {
      return Math.max(0, n.longValue());
    }
    if (value instanceof String s) {
      try {
        return Math.max(0, Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        return 3600;
      }
    }
    return 3600;
  }
}
