package io.tollgate.connector.gemini;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.UpstreamRequests;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where and how to reach Google AI Studio's Gemini API:
 * {@code POST {base_url}/v1beta/models/{upstream_model}:streamGenerateContent?alt=sse} with the key
 * in {@code x-goog-api-key} (never in the URL, where it would end up in access logs). The base URL
 * defaults to {@value #DEFAULT_BASE_URL}; a pasted {@code /v1beta} suffix is tolerated. Every call
 * streams (the edge folds the stream into one answer for non-streaming clients).
 */
public class GeminiEndpoint {

  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
  public static final String API_VERSION_PATH = "/v1beta";
  public static final String STREAM_METHOD = ":streamGenerateContent?alt=sse";
  public static final String API_KEY_HEADER = "x-goog-api-key";
  public static final String USER_AGENT = "tollgate-connector";

  public static final String BATCH_EMBED_METHOD = ":batchEmbedContents";

  public String streamUrl(DeploymentConfig deployment, String model) {
    return modelUrl(deployment, model) + STREAM_METHOD;
  }

  /** Where a batch of embeddings is asked for. */
  public String batchEmbedUrl(DeploymentConfig deployment, String model) {
    return modelUrl(deployment, model) + BATCH_EMBED_METHOD;
  }

  /** The upstream model's name without the {@code models/} prefix Google's resource names carry. */
  public static String modelName(DeploymentConfig deployment, String model) {
    String name = deployment.upstreamModel() != null && !deployment.upstreamModel().isBlank()
        ? deployment.upstreamModel().trim() : model;
    return name.startsWith("models/") ? name.substring("models/".length()) : name;
  }

  private String modelUrl(DeploymentConfig deployment, String model) {
    String base = deployment.baseUrl() == null || deployment.baseUrl().isBlank()
        ? DEFAULT_BASE_URL : deployment.baseUrl().trim();
    base = stripSlashes(base);
    if (base.endsWith(API_VERSION_PATH)) {
      base = stripSlashes(base.substring(0, base.length() - API_VERSION_PATH.length()));
    }
    return base + API_VERSION_PATH + "/models/" + URLEncoder.encode(modelName(deployment, model),
        StandardCharsets.UTF_8);
  }

  /** Request options; {@code credential} may be null (a local emulator or a proxy that adds it). */
  public RequestOptions requestOptions(DeploymentConfig deployment, String model, String credential) {
    RequestOptions options = UpstreamRequests.jsonPost(deployment, streamUrl(deployment, model), USER_AGENT);
    if (credential != null) {
      options.putHeader(API_KEY_HEADER, credential);
    }
    return options;
  }

  private static String stripSlashes(String s) {
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
