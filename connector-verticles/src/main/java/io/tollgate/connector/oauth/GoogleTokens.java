package io.tollgate.connector.oauth;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderContext;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access tokens for Google Cloud APIs from a service-account key: the JWT bearer grant to the key's
 * {@code token_uri} (or the deployment's {@code token_url}), cached per key in the node's
 * {@link TokenCache}. The key is parsed and the assertion signed on a worker thread; the grant is
 * posted with the connector's asynchronous HTTP client.
 */
public final class GoogleTokens {

  /** The scope Vertex AI needs. */
  public static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  private GoogleTokens() {
  }

  /** A valid access token for the key {@code keyJson}. */
  public static Future<String> token(ProviderContext context, DeploymentConfig deployment, String keyJson) {
    TokenCache cache = context.credentials().tokens();
    String key = Digests.of("google", deployment.tokenUrl(), CLOUD_PLATFORM_SCOPE, keyJson);
    return cache.token(key, () -> context.vertx()
        .executeBlocking(() -> {
          ServiceAccountKey account = ServiceAccountKey.parse(keyJson, deployment.id());
          String audience = tokenUrl(deployment, account);
          return new Signed(audience, account.assertion(CLOUD_PLATFORM_SCOPE, audience, cache.now() / 1000));
        }, false)
        .compose(signed -> {
          Map<String, String> form = new LinkedHashMap<>();
          form.put("grant_type", ServiceAccountKey.GRANT_TYPE);
          form.put("assertion", signed.assertion());
          return TokenClient.fetch(context, deployment, signed.tokenUrl(), TokenClient.form(form), cache);
        }));
  }

  /** The token URL: the deployment's override, else the key file's {@code token_uri}. */
  static String tokenUrl(DeploymentConfig deployment, ServiceAccountKey account) {
    return deployment.tokenUrl() != null && !deployment.tokenUrl().isBlank() ? deployment.tokenUrl().trim()
        : account.tokenUri();
  }

  private record Signed(String tokenUrl, String assertion) {
    @Override
    public String toString() {
      return "Signed[tokenUrl=" + tokenUrl + ", assertion=********]";
    }
  }
}
