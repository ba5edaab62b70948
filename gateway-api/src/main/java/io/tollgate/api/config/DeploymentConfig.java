package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.keys.Concurrency;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One upstream that can serve a model.
 *
 * @param provider      connector to use: {@code openai} (any OpenAI-compatible server), {@code anthropic},
 *                      {@code gemini}, {@code vertex}, {@code azure-openai}, {@code cohere} (rerank servers
 *                      speaking Cohere v2, or with a preset Jina, vLLM or TEI), {@code mock}
 * @param apiKey        where the upstream credential is ({@link CredentialRef}: {@code ${ENV_VAR}},
 *                      {@code file:/path}, {@code secret:<id>}), resolved by the connector node; a
 *                      literal key is accepted only where it stays on one node (a config file served
 *                      without an admin role) and is otherwise stored encrypted by the admin role
 * @param upstreamModel the model name sent upstream (defaults to the public model name)
 * @param priority      lower goes first under the {@code priority} policy
 * @param inputPricePerMtok       USD per million prompt tokens (null: unpriced)
 * @param outputPricePerMtok      USD per million completion tokens
 * @param cachedInputPricePerMtok USD per million cached prompt tokens (null: the input price)
 * @param concurrency             calls at once per connector node, and how many may queue for a slot
 * @param maxTokensField          how the client's completion budget is named upstream: as the client
 *                                sent it (default), or always {@code max_tokens} (vLLM, Ollama, older
 *                                servers) or always {@code max_completion_tokens} (OpenAI reasoning models)
 * @param defaultMaxTokens        the completion budget sent when the client gave none, for upstreams
 *                                that require one (Anthropic's {@code max_tokens}); null: the
 *                                connector's own default
 * @param cacheWritePricePerMtok  USD per million prompt tokens written to the provider's prompt cache
 *                                (Anthropic's cache_creation_input_tokens); null: 1.25 times the input
 *                                price, Anthropic's price of a 5-minute cache write
 * @param apiVersion              the upstream API version where the provider versions its URLs:
 *                                Azure OpenAI's {@code api-version} query parameter (null or "v1": the
 *                                version-less {@code /openai/v1/} routes); ignored by other providers
 * @param capabilities            what the deployment serves ({@code chat}, {@code embeddings},
 *                                {@code tools}, {@code vision}, {@code streaming} ...); null means the
 *                                provider's defaults
 * @param project                 Vertex AI: the Google Cloud project (null: the service-account key's
 *                                {@code project_id})
 * @param location                Vertex AI: the region ({@code us-central1}, {@code europe-west4} ...) or
 *                                {@code global}; null: {@value #DEFAULT_VERTEX_LOCATION}
 * @param tenantId                Azure OpenAI with Entra ID: the directory (tenant) id; with it,
 *                                {@code api_key} is the app registration's client secret and the
 *                                connector sends an OAuth2 bearer token instead of {@code api-key}
 * @param clientId                Azure OpenAI with Entra ID: the application (client) id
 * @param tokenUrl                where OAuth2 tokens come from, overriding Entra ID's
 *                                {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token} and the
 *                                service-account key's {@code token_uri} (a proxy, a test)
 * @param preset                  {@code provider: openai}: the known quirks of one OpenAI-compatible
 *                                server ({@link OpenAiPreset}); its defaults fill {@code base_url} and
 *                                {@code max_tokens_field} when they are not set. {@code provider: cohere}:
 *                                the rerank wire format ({@code jina}, {@code vllm}, {@code tei}; none: Cohere v2)
 * @param headers                 extra headers sent upstream with every call (the provider's own auth
 *                                and protocol headers win); values are never logged ({@link #toString()})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                               Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                               BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                               BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                               MaxTokensField maxTokensField, Integer defaultMaxTokens,
                               BigDecimal cacheWritePricePerMtok, String apiVersion, List<String> capabilities,
                               String project, String location, String tenantId, String clientId, String tokenUrl,
                               OpenAiPreset preset, Map<String, String> headers) {

  /** The Vertex AI region of a deployment that names none. */
  public static final String DEFAULT_VERTEX_LOCATION = "us-central1";
  /** Headers a deployment may not set: the HTTP client owns them. */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** The canonical constructor before Vertex, Entra ID and presets (kept for callers and tests). */
  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField, Integer defaultMaxTokens, BigDecimal cacheWritePricePerMtok,
                          String apiVersion, List<String> capabilities) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, defaultMaxTokens,
        cacheWritePricePerMtok, apiVersion, capabilities, null, null, null, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField, Integer defaultMaxTokens, BigDecimal cacheWritePricePerMtok) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, defaultMaxTokens,
        cacheWritePricePerMtok, null, null, null, null, null, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField, String apiVersion, List<String> capabilities) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, null, null, apiVersion,
        capabilities, null, null, null, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, null, null, null, null, null, null, null,
        null, null, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  public DeploymentConfig {
    Objects.requireNonNull(id, "deployment id is required");
    Objects.requireNonNull(provider, "deployment " + id + ": provider is required");
    weight = weight == null ? 1 : weight;
    priority = priority == null ? 0 : priority;
    timeouts = timeouts == null ? Timeouts.DEFAULTS : timeouts;
    if (preset != null && !preset.appliesTo(provider)) {
      throw new IllegalArgumentException("deployment " + id + ": preset applies to provider openai (vllm, ollama, "
          + "openrouter, groq, deepseek, mistral, together) or cohere (jina, vllm, tei); " + preset.wire()
          + " does not apply to " + provider);
    }
    if (preset != null && (baseUrl == null || baseUrl.isBlank())) {
      baseUrl = preset.defaultBaseUrl();
    }
    maxTokensField = maxTokensField != null ? maxTokensField
        : preset != null ? preset.maxTokensField() : MaxTokensField.AS_SENT;
    if ((tenantId == null || tenantId.isBlank()) != (clientId == null || clientId.isBlank())) {
      throw new IllegalArgumentException("deployment " + id + ": tenant_id and client_id go together "
          + "(Entra ID client credentials; the client secret is api_key)");
    }
    headers = checkedHeaders(id, headers);
    if (defaultMaxTokens != null && defaultMaxTokens < 1) {
      throw new IllegalArgumentException("deployment " + id + ": default_max_tokens must be >= 1");
    }
    capabilities = capabilities == null ? null : List.copyOf(capabilities);
    if (weight < 0) {
      throw new IllegalArgumentException("deployment " + id + ": weight must be >= 0");
    }
    for (BigDecimal price : new BigDecimal[] {inputPricePerMtok, outputPricePerMtok, cachedInputPricePerMtok,
        cacheWritePricePerMtok}) {
      if (price != null && price.signum() < 0) {
        throw new IllegalArgumentException("deployment " + id + ": prices must be >= 0");
      }
    }
  }

  /** The same deployment with another credential reference (the admin API masks and unmasks it). */
  public DeploymentConfig withApiKey(String newApiKey) {
    return new DeploymentConfig(id, provider, baseUrl, newApiKey, upstreamModel, weight, priority, timeouts, mock,
        inputPricePerMtok, outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, defaultMaxTokens,
        cacheWritePricePerMtok, apiVersion, capabilities, project, location, tenantId, clientId, tokenUrl, preset,
        headers);
  }

  /** The same deployment with another weight (a canary's), every other field kept. */
  public DeploymentConfig withWeight(Integer newWeight) {
    return new DeploymentConfig(id, provider, baseUrl, apiKey, upstreamModel, newWeight, priority, timeouts, mock,
        inputPricePerMtok, outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, defaultMaxTokens,
        cacheWritePricePerMtok, apiVersion, capabilities, project, location, tenantId, clientId, tokenUrl, preset,
        headers);
  }

  /** Whether the deployment authenticates with Entra ID client credentials rather than an API key. */
  public boolean usesEntraId() {
    return tenantId != null && !tenantId.isBlank();
  }

  /**
   * Header names must be HTTP tokens, unique ignoring case and not ones the HTTP client owns;
   * values must be one line. Messages name the header, never its value (it may be a secret).
   */
  private static Map<String, String> checkedHeaders(String id, Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return headers == null ? null : Map.of();
    }
    Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = e.getKey() == null ? "" : e.getKey().trim();
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("deployment " + id + ": headers: '" + name + "' is not a header name");
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("deployment " + id + ": headers: " + name + " is set by the connector");
      }
      String value = e.getValue();
      if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("deployment " + id + ": headers: the value of " + name
            + " must be one line of text");
      }
      if (sorted.put(name, value) != null) {
        throw new IllegalArgumentException("deployment " + id + ": headers: " + name + " is given twice");
      }
    }
    // Sorted, so the same headers always serialize the same way (a re-import is then a no-op).
    return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /** A reference as written; a literal key (or a malformed reference) masked. */
  private static String shownKey(String apiKey) {
    try {
      CredentialRef ref = CredentialRef.parse(apiKey);
      return ref == null ? null : ref.toString();
    } catch (IllegalArgumentException e) {
      return "********";
    }
  }

  /** As a record prints itself, but with header values masked: they may carry credentials. */
  @Override
  public String toString() {
    Map<String, String> shownHeaders = null;
    if (headers != null) {
      shownHeaders = new LinkedHashMap<>();
      for (String name : headers.keySet()) {
        shownHeaders.put(name, "********");
      }
    }
    return "DeploymentConfig[id=" + id + ", provider=" + provider + ", baseUrl=" + baseUrl + ", apiKey="
        + shownKey(apiKey) + ", upstreamModel="
        + upstreamModel + ", weight=" + weight + ", priority=" + priority + ", timeouts=" + timeouts + ", mock=" + mock
        + ", inputPricePerMtok=" + inputPricePerMtok + ", outputPricePerMtok=" + outputPricePerMtok
        + ", cachedInputPricePerMtok=" + cachedInputPricePerMtok + ", concurrency=" + concurrency
        + ", maxTokensField=" + maxTokensField + ", defaultMaxTokens=" + defaultMaxTokens
        + ", cacheWritePricePerMtok=" + cacheWritePricePerMtok + ", apiVersion=" + apiVersion + ", capabilities="
        + capabilities + ", project=" + project + ", location=" + location + ", tenantId=" + tenantId
        + ", clientId=" + clientId + ", tokenUrl=" + tokenUrl + ", preset=" + preset + ", headers=" + shownHeaders
        + "]";
  }

  /**
   * The longest a connector may take to start this deployment's call: waiting for a concurrency
   * slot, connecting, and the upstream's status line. Routers and edges wait this long plus a margin.
   */
  public long maxStartMillis() {
    long queue = concurrency != null && concurrency.limited() ? concurrency.maxWaitMs() : 0;
    return queue + timeouts.connectMs() + timeouts.firstByteMs();
  }
}
