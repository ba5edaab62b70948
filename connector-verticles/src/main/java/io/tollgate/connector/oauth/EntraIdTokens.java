package io.tollgate.connector.oauth;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderContext;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Microsoft Entra ID access tokens for Azure OpenAI from client credentials (OAuth2
 * {@code client_credentials} grant with a client secret): {@code tenant_id}, {@code client_id} and
 * the client secret (the deployment's {@code api_key}) posted to
 * {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token} (or {@code token_url}) for
 * the scope {@value #COGNITIVE_SERVICES_SCOPE}; cached per credential in the node's
 * {@link TokenCache} like Google's. The request is asynchronous: nothing waits on an event loop.
 */
public final class EntraIdTokens {

  public static final String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
  public static final String LOGIN_URL = "https://login.microsoftonline.com/";

  private EntraIdTokens() {
  }

  /** A valid access token for the deployment's client credentials. */
  public static Future<String> token(ProviderContext context, DeploymentConfig deployment, String clientSecret) {
    TokenCache cache = context.credentials().tokens();
    String url = tokenUrl(deployment);
    String key = Digests.of("entra", url, deployment.clientId(), clientSecret);
    return cache.token(key, () -> {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "client_credentials");
      form.put("client_id", deployment.clientId().trim());
      form.put("client_secret", clientSecret);
      form.put("scope", COGNITIVE_SERVICES_SCOPE);
      return TokenClient.fetch(context, deployment, url, TokenClient.form(form), cache);
    });
  }

  /** The deployment's {@code token_url}, else the tenant's v2.0 token endpoint. */
  public static String tokenUrl(DeploymentConfig deployment) {
    if (deployment.tokenUrl() != null && !deployment.tokenUrl().isBlank()) {
      return deployment.tokenUrl().trim();
    }
    return LOGIN_URL + URLEncoder.encode(deployment.tenantId().trim(), StandardCharsets.UTF_8) + "/oauth2/v2.0/token";
  }
}
