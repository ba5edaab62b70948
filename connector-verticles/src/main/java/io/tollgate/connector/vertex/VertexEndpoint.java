package io.tollgate.connector.vertex;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.UpstreamRequests;
import io.tollgate.connector.gemini.GeminiEndpoint;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where and how to reach Gemini on Vertex AI: the regional endpoint
 * {@code https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent?alt=sse}
 * ({@code https://aiplatform.googleapis.com} for the {@code global} location) with an OAuth2 access
 * token as {@code Authorization: Bearer}. {@code base_url} replaces the host part (a private
 * endpoint, a proxy, a test server); a pasted {@code /v1} suffix is tolerated. The body and the
 * answers are the Gemini API's, mapped by the gemini package.
 */
public class VertexEndpoint extends GeminiEndpoint {

  public static final String GLOBAL_LOCATION = "global";
  public static final String GLOBAL_BASE_URL = "https://aiplatform.googleapis.com";
  public static final String VERSION_PATH = "/v1";
  public static final String PREDICT_METHOD = ":predict";

  /** The host part: {@code base_url}, else the location's regional endpoint. */
  public String baseUrl(DeploymentConfig deployment) {
    String base = deployment.baseUrl();
    if (base == null || base.isBlank()) {
      String location = location(deployment);
      base = GLOBAL_LOCATION.equals(location) ? GLOBAL_BASE_URL : "https://" + location + "-aiplatform.googleapis.com";
    }
    base = stripSlashes(base.trim());
    if (base.endsWith(VERSION_PATH)) {
      base = stripSlashes(base.substring(0, base.length() - VERSION_PATH.length()));
    }
    return base;
  }

  /** The streaming URL for {@code project}; the model name may be bare or {@code publishers/google/models/...}. */
  public String streamUrl(DeploymentConfig deployment, String model, String project) {
    String name = deployment.upstreamModel() != null && !deployment.upstreamModel().isBlank()
        ? deployment.upstreamModel().trim() : model;
    for (String prefix : new String[] {"publishers/google/models/", "models/"}) {
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
      }
    }
    String location = location(deployment);
    return baseUrl(deployment) + VERSION_PATH + "/projects/" + encode(project) + "/locations/" + encode(location)
        + "/publishers/google/models/" + encode(name) + STREAM_METHOD;
  }

  /** {@value #PREDICT_METHOD} on the model: Vertex's text-embedding models. */
  public String predictUrl(DeploymentConfig deployment, String model, String project) {
    String stream = streamUrl(deployment, model, project);
    return stream.substring(0, stream.length() - STREAM_METHOD.length()) + PREDICT_METHOD;
  }

  /** Request options; {@code token} may be null (a proxy or emulator that authenticates by itself). */
  public RequestOptions requestOptions(DeploymentConfig deployment, String model, String project, String token) {
    if (project == null || project.isBlank()) {
      throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "deployment " + deployment.id()
          + " has no project (set project, or use a service-account key with a project_id)");
    }
    RequestOptions options = UpstreamRequests.jsonPost(deployment, streamUrl(deployment, model, project.trim()),
        USER_AGENT);
    if (token != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    return options;
  }

  /** The deployment's location, lower case; {@link DeploymentConfig#DEFAULT_VERTEX_LOCATION} when unset. */
  public static String location(DeploymentConfig deployment) {
    String location = deployment.location() == null || deployment.location().isBlank()
        ? DeploymentConfig.DEFAULT_VERTEX_LOCATION : deployment.location().trim().toLowerCase(Locale.ROOT);
    if (!location.matches("[a-z0-9-]{1,40}")) {
      throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "deployment " + deployment.id()
          + " has an invalid location (a region such as us-central1, or global)");
    }
    return location;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String stripSlashes(String s) {
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
