package io.tollgate.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Set;

/**
 * A deployment's {@code preset}: the known quirks of one OpenAI-compatible server, so a deployment
 * of {@code provider: openai} needs only its name. On {@code provider: cohere} (rerank) a preset
 * says which rerank wire format the server speaks instead of Cohere v2's: {@code jina},
 * {@code vllm} or {@code tei} ({@link #appliesTo}). A preset supplies defaults; anything the
 * deployment sets itself ({@code base_url}, {@code max_tokens_field}, {@code headers}) wins.
 * Reasoning arrives as {@code reasoning_content} (DeepSeek, vLLM's reasoning parsers) or
 * {@code reasoning} (OpenRouter, Ollama, newer vLLM) and is read as reasoning from every server.
 */
public enum OpenAiPreset {

  /** vLLM's OpenAI server: local by default, knows {@code max_tokens}, streams usage when asked. */
  @JsonProperty("vllm") VLLM("vllm", "http://127.0.0.1:8000/v1", MaxTokensField.MAX_TOKENS, StreamUsage.REQUEST,
      Map.of(), "openai", "cohere"),
  /** Ollama's {@code /v1}: local, no key; versions before 0.5 ignore the usage request (then usage is counted). */
  @JsonProperty("ollama") OLLAMA("ollama", "http://127.0.0.1:11434/v1", MaxTokensField.MAX_TOKENS, StreamUsage.REQUEST,
      Map.of()),
  /** OpenRouter: attribution headers (override them with the deployment's {@code headers}). */
  @JsonProperty("openrouter") OPENROUTER("openrouter", "https://openrouter.ai/api/v1", MaxTokensField.AS_SENT,
      StreamUsage.REQUEST, Map.of("X-Title", "Tollgate")),
  /** Groq: {@code max_completion_tokens}; usage also comes as {@code x_groq.usage} in the last chunk. */
  @JsonProperty("groq") GROQ("groq", "https://api.groq.com/openai/v1", MaxTokensField.MAX_COMPLETION_TOKENS,
      StreamUsage.REQUEST, Map.of()),
  /** DeepSeek: {@code reasoning_content}; cache hits as {@code prompt_cache_hit_tokens}. */
  @JsonProperty("deepseek") DEEPSEEK("deepseek", "https://api.deepseek.com/v1", MaxTokensField.MAX_TOKENS,
      StreamUsage.REQUEST, Map.of()),
  /** Mistral: refuses {@code stream_options} (422 extra_forbidden) and sends usage in the last chunk unasked. */
  @JsonProperty("mistral") MISTRAL("mistral", "https://api.mistral.ai/v1", MaxTokensField.MAX_TOKENS,
      StreamUsage.NATIVE, Map.of()),
  /** Together: usage arrives in the last chunk unasked. */
  @JsonProperty("together") TOGETHER("together", "https://api.together.xyz/v1", MaxTokensField.MAX_TOKENS,
      StreamUsage.NATIVE, Map.of()),
  /** Jina AI's rerank API ({@code provider: cohere}): {@code POST {base_url}/rerank}, usage as {@code total_tokens}. */
  @JsonProperty("jina") JINA("jina", "https://api.jina.ai/v1", MaxTokensField.AS_SENT, StreamUsage.REQUEST, Map.of(),
      "cohere"),
  /** Hugging Face text-embeddings-inference ({@code provider: cohere}): {@code POST {base_url}/rerank} with {@code texts}. */
  @JsonProperty("tei") TEI("tei", "http://127.0.0.1:8080", MaxTokensField.AS_SENT, StreamUsage.REQUEST, Map.of(),
      "cohere");

  /** How a streamed answer's usage is obtained. */
  public enum StreamUsage {
    /** Send {@code stream_options.include_usage: true}; a server that ignores it gets its usage counted. */
    REQUEST,
    /** Send no {@code stream_options} (the server refuses it): the server reports usage by itself. */
    NATIVE
  }

  private final String wire;
  private final String defaultBaseUrl;
  private final MaxTokensField maxTokensField;
  private final StreamUsage streamUsage;
  private final Map<String, String> defaultHeaders;
  private final Set<String> providers;

  OpenAiPreset(String wire, String defaultBaseUrl, MaxTokensField maxTokensField, StreamUsage streamUsage,
               Map<String, String> defaultHeaders) {
    this(wire, defaultBaseUrl, maxTokensField, streamUsage, defaultHeaders, "openai");
  }

  OpenAiPreset(String wire, String defaultBaseUrl, MaxTokensField maxTokensField, StreamUsage streamUsage,
               Map<String, String> defaultHeaders, String... providers) {
    this.providers = Set.of(providers);
    this.wire = wire;
    this.defaultBaseUrl = defaultBaseUrl;
    this.maxTokensField = maxTokensField;
    this.streamUsage = streamUsage;
    this.defaultHeaders = defaultHeaders;
  }

  /** Whether a deployment of {@code provider} may name this preset ({@code vllm} serves chat and rerank). */
  public boolean appliesTo(String provider) {
    return providers.contains(provider);
  }

  /** The name in a deployment's {@code preset}. */
  public String wire() {
    return wire;
  }

  /** The {@code base_url} of a deployment that sets none. */
  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** The {@code max_tokens_field} of a deployment that sets none. */
  public MaxTokensField maxTokensField() {
    return maxTokensField;
  }

  public StreamUsage streamUsage() {
    return streamUsage;
  }

  /** Headers sent unless the deployment's {@code headers} name them (case-insensitively). */
  public Map<String, String> defaultHeaders() {
    return defaultHeaders;
  }
}
