package io.tollgate.connector.azure;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.oauth.EntraIdTokens;
import io.tollgate.connector.openai.OpenAiEndpoint;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI speaks OpenAI's chat wire format; only the URL, the credential header and the
 * content-filter refusal differ.
 *
 * <ul>
 *   <li>With an {@code api_version} (e.g. {@code 2024-10-21}): the deployment URL
 *       {@code {base_url}/openai/deployments/{upstream_model}/chat/completions?api-version=...},
 *       where {@code upstream_model} is the Azure deployment name.</li>
 *   <li>Without one, or with {@code v1}: the version-less {@code {base_url}/openai/v1/chat/completions},
 *       with the deployment name as the body's {@code model}.</li>
 * </ul>
 * {@code base_url} is the resource URL ({@code https://{resource}.openai.azure.com}); a pasted
 * {@code .../openai} or {@code .../openai/v1} suffix is tolerated. The credential goes in the
 * {@code api-key} header; a deployment with {@code tenant_id} and {@code client_id} authenticates
 * with Entra ID instead ({@link EntraIdTokens}: a bearer token from its client secret).
 */
public class AzureOpenAiEndpoint extends OpenAiEndpoint {

  public static final String API_KEY_HEADER = "api-key";
  /** The {@code api_version} that selects the version-less {@code /openai/v1/} routes. */
  public static final String V1 = "v1";
  /** Azure's error code (and inner code) for a prompt its content filter refused. */
  public static final String CONTENT_FILTER_CODE = "content_filter";
  public static final String POLICY_VIOLATION_CODE = "ResponsibleAIPolicyViolation";

  @Override
  public String chatUrl(DeploymentConfig deployment) {
    String base = resourceUrl(deployment);
    String version = deployment.apiVersion() == null ? null : deployment.apiVersion().trim();
    if (version == null || version.isEmpty() || V1.equalsIgnoreCase(version)) {
      return base + "/openai/v1" + CHAT_PATH;
    }
    String name = deployment.upstreamModel();
    if (name == null || name.isBlank()) {
      throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "deployment " + deployment.id()
          + " has no upstream_model (the Azure deployment name its URL needs)");
    }
    return base + "/openai/deployments/" + encode(name.trim()) + CHAT_PATH + "?api-version=" + encode(version);
  }

  /** With Entra ID the credential is a bearer token (OpenAI's header); else the key goes in {@code api-key}. */
  @Override
  public RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    if (deployment.usesEntraId()) {
      return super.requestOptions(deployment, credential);
    }
    RequestOptions options = super.requestOptions(deployment, null);
    if (credential != null) {
      options.putHeader(API_KEY_HEADER, credential);
    }
    return options;
  }

  /**
   * With {@code tenant_id} and {@code client_id}, {@code api_key} is the app's client secret, traded
   * for an Entra ID access token (cached per credential on this node, refreshed before it expires).
   */
  @Override
  public Future<String> authorize(ProviderContext context, DeploymentConfig deployment, String credential) {
    if (!deployment.usesEntraId()) {
      return Future.succeededFuture(credential);
    }
    if (credential == null) {
      return Future.failedFuture(new GatewayException(ErrorCode.UPSTREAM_AUTH, "deployment " + deployment.id()
          + " uses Entra ID but has no client secret (api_key)"));
    }
    return EntraIdTokens.token(context, deployment, credential);
  }

  /**
   * A prompt refused by Azure's content filter is the client's to fix, and no other deployment of
   * the same resource would take it: a 400 that says so (the categories stay in the log).
   */
  @Override
  public GatewayException failure(int status, Buffer body) {
    if (status == 400 && isContentFilter(body)) {
      return new GatewayException(ErrorCode.UPSTREAM_BAD_REQUEST, "The prompt was refused by the upstream's "
          + "content filter (Azure OpenAI content management policy); change the prompt and retry.", "messages");
    }
    return super.failure(status, body);
  }

  static boolean isContentFilter(Buffer body) {
    if (body == null || body.length() == 0) {
      return false;
    }
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      if (error == null) {
        return false;
      }
      JsonObject inner = error.getJsonObject("innererror");
      return CONTENT_FILTER_CODE.equals(error.getValue("code"))
          || inner != null && POLICY_VIOLATION_CODE.equals(inner.getValue("code"));
    } catch (RuntimeException notAzureJson) {
      return false;
    }
  }

  private static String resourceUrl(DeploymentConfig deployment) {
    String base = deployment.baseUrl();
    if (base == null || base.isBlank()) {
      throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "deployment " + deployment.id() + " has no base_url");
    }
    base = stripSlashes(base.trim());
    for (String suffix : new String[] {"/openai/v1", "/openai"}) {
      if (base.endsWith(suffix)) {
        base = stripSlashes(base.substring(0, base.length() - suffix.length()));
        break;
      }
    }
    return base;
  }

  private static String stripSlashes(String s) {
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
