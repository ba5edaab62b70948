package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.keys.Concurrency;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One upstream that can serve a model.
 *
 * @param provider      connector to use: {@code openai} (any OpenAI-compatible server), {@code anthropic}, {@code mock}
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
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                               Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                               BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                               BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                               MaxTokensField maxTokensField, Integer defaultMaxTokens,
                               BigDecimal cacheWritePricePerMtok, String apiVersion, List<String> capabilities) {

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField, Integer defaultMaxTokens, BigDecimal cacheWritePricePerMtok) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, defaultMaxTokens,
        cacheWritePricePerMtok, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField, String apiVersion, List<String> capabilities) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, null, null, apiVersion,
        capabilities);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency,
                          MaxTokensField maxTokensField) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, maxTokensField, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, null, null, null, null, null, null);
  }

  public DeploymentConfig(String id, String provider, String baseUrl, String apiKey, String upstreamModel,
                          Integer weight, Integer priority, Timeouts timeouts, MockOptions mock,
                          BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                          BigDecimal cachedInputPricePerMtok, Concurrency concurrency) {
    this(id, provider, baseUrl, apiKey, upstreamModel, weight, priority, timeouts, mock, inputPricePerMtok,
        outputPricePerMtok, cachedInputPricePerMtok, concurrency, null, null, null, null, null);
  }

  public DeploymentConfig {
    Objects.requireNonNull(id, "deployment id is required");
    Objects.requireNonNull(provider, "deployment " + id + ": provider is required");
    weight = weight == null ? 1 : weight;
    priority = priority == null ? 0 : priority;
    timeouts = timeouts == null ? Timeouts.DEFAULTS : timeouts;
    maxTokensField = maxTokensField == null ? MaxTokensField.AS_SENT : maxTokensField;
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
        cacheWritePricePerMtok, apiVersion, capabilities);
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
