package io.tollgate.connector.cohere;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.OpenAiPreset;
import io.tollgate.connector.UpstreamRequests;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * Where a rerank deployment is called and in which dialect. Cohere v2 (no preset):
 * {@code POST {base_url}/v2/rerank}, {@code base_url} the host ({@value #COHERE_BASE_URL} by default).
 * Jina and vLLM: {@code POST {base_url}/rerank} with {@code base_url} ending in {@code /v1} as for
 * their OpenAI-style APIs (the preset's default does). TEI: {@code POST {base_url}/rerank} on the
 * server's root. The credential, when there is one, is a bearer token.
 */
public class CohereEndpoint {

  public static final String COHERE_BASE_URL = "https://api.cohere.com";
  public static final String USER_AGENT = "tollgate-connector";

  /** The rerank dialect a deployment speaks. */
  public enum Wire {
    /** Cohere v2: {@code documents} as strings, {@code meta.tokens}/{@code meta.billed_units}. */
    COHERE("/v2/rerank"),
    /** Jina: documents as sent (strings or objects), {@code usage.total_tokens}. */
    JINA("/rerank"),
    /** vLLM's Jina/Cohere-compatible {@code /v1/rerank}: strings, {@code usage.total_tokens}. */
    VLLM("/rerank"),
    /** TEI: {@code {query, texts}} answered by a bare array {@code [{index, score}]}, no usage. */
    TEI("/rerank");

    private final String path;

    Wire(String path) {
      this.path = path;
    }

    public static Wire of(DeploymentConfig deployment) {
      OpenAiPreset preset = deployment.preset();
      if (preset == null) {
        return COHERE;
      }
      return switch (preset) {
        case JINA -> JINA;
        case VLLM -> VLLM;
        case TEI -> TEI;
        default -> throw new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE, "deployment " + deployment.id()
            + " has preset " + preset.wire() + ", which is not a rerank server");
      };
    }
  }

  /** The rerank URL; a trailing slash on base_url is tolerated. */
  public String rerankUrl(DeploymentConfig deployment) {
    String base = deployment.baseUrl();
    if (base == null || base.isBlank()) {
      base = COHERE_BASE_URL;
    }
    base = base.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + Wire.of(deployment).path;
  }

  /** Request options; {@code credential} may be null (a local TEI or vLLM without auth). */
  public RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    RequestOptions options = UpstreamRequests.jsonPost(deployment, rerankUrl(deployment), USER_AGENT);
    options.putHeader(HttpHeaders.ACCEPT, "application/json");
    if (credential != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + credential);
    }
    return options;
  }
}
