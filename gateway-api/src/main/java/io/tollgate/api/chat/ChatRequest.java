package io.tollgate.api.chat;

import java.util.List;
import java.util.Map;

/**
 * A chat request in the canonical model, parsed once at the edge from whatever format the client
 * spoke ({@link #dialect}) and mapped once by the connector to whatever its upstream speaks.
 * Everything the gateway or a translation needs is typed; parameters only the client's dialect
 * knows ({@code seed}, {@code logprobs}, {@code top_k} for OpenAI ...) are in {@code extra} and
 * reach an upstream of the same dialect verbatim, and cause a 400 naming them elsewhere.
 *
 * @param dialect      the inbound format; {@code extra} and opaque parts belong to it
 * @param includeUsage OpenAI's {@code stream_options.include_usage}: send a final usage chunk
 * @param maxTokens    {@code max_tokens} as the client sent it, null if unset
 * @param maxCompletionTokens {@code max_completion_tokens} as the client sent it, null if unset.
 *                     Both are kept apart because upstreams disagree: OpenAI's reasoning models
 *                     refuse {@code max_tokens}, vLLM and older servers know only {@code max_tokens}.
 * @param topK         Anthropic's and Gemini's top_k; OpenAI has none
 * @param parallelToolCalls false to ask for at most one tool call per turn, null when unset
 * @param metadata     string key-value metadata (OpenAI {@code metadata}, Anthropic
 *                     {@code metadata.user_id} as "user_id"); also what routing rules may test
 */
public record ChatRequest(
    String model,
    Dialect dialect,
    List<ChatMessage> messages,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    Integer maxCompletionTokens,
    Double temperature,
    Double topP,
    Integer topK,
    Integer n,
    List<String> stop,
    String user,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    ResponseFormat responseFormat,
    ReasoningOptions reasoning,
    Map<String, String> metadata,
    Map<String, RawJson> extra) {

  public ChatRequest {
    dialect = dialect == null ? Dialect.OPENAI_CHAT : dialect;
    messages = List.copyOf(messages);
    stop = stop == null ? null : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  /** Tokens around each message in OpenAI's chat format (role and separators). */
  public static final int TOKENS_PER_MESSAGE = 4;
  /** The assistant reply's priming. */
  public static final int TOKENS_PER_REPLY = 3;

  public static Builder builder(String model, List<ChatMessage> messages) {
    return new Builder(model, messages);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The completion budget the client set: {@code max_completion_tokens}, else {@code max_tokens}, else null. */
  public Integer completionLimit() {
    return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
  }

  /** Number of choices asked for (OpenAI's {@code n}, default 1). */
  public int choices() {
    return n == null ? 1 : n;
  }

  /** The text of every message, joined: what keyword rules and logs look at. */
  public String promptText() {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      sb.append(m.text()).append('\n');
    }
    return sb.toString();
  }

  /**
   * The prompt's tokens without a tokenizer: about four characters per token (OpenAI's rule of
   * thumb for English) plus the chat format's overhead per message; tool schemas count as text.
   * Used wherever the upstream's count is not known (yet): reservations at admission, cancelled
   * streams, the mock, Anthropic's count_tokens against a non-Anthropic upstream.
   */
  public int estimatedPromptTokens() {
    long tokens = TOKENS_PER_REPLY;
    for (ChatMessage m : messages) {
      tokens += (m.estimateChars() + 3) / 4 + TOKENS_PER_MESSAGE;
    }
    for (Tool t : tools) {
      long chars = (t.name() == null ? 0 : t.name().length())
          + (t.description() == null ? 0 : t.description().length())
          + (t.parameters() == null ? 0 : t.parameters().json().length());
      tokens += (chars + 3) / 4;
    }
    return (int) Math.min(Integer.MAX_VALUE, tokens);
  }

  /** Named-field construction: the record has too many fields to call its constructor readably. */
  public static final class Builder {
    private String model;
    private Dialect dialect = Dialect.OPENAI_CHAT;
    private List<ChatMessage> messages;
    private boolean stream;
    private boolean includeUsage;
    private Integer maxTokens;
    private Integer maxCompletionTokens;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer n;
    private List<String> stop;
    private String user;
    private List<Tool> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private ResponseFormat responseFormat;
    private ReasoningOptions reasoning;
    private Map<String, String> metadata;
    private Map<String, RawJson> extra;

    private Builder(String model, List<ChatMessage> messages) {
      this.model = model;
      this.messages = messages;
    }

    private Builder(ChatRequest r) {
      model = r.model;
      dialect = r.dialect;
      messages = r.messages;
      stream = r.stream;
      includeUsage = r.includeUsage;
      maxTokens = r.maxTokens;
      maxCompletionTokens = r.maxCompletionTokens;
      temperature = r.temperature;
      topP = r.topP;
      topK = r.topK;
      n = r.n;
      stop = r.stop;
      user = r.user;
      tools = r.tools;
      toolChoice = r.toolChoice;
      parallelToolCalls = r.parallelToolCalls;
      responseFormat = r.responseFormat;
      reasoning = r.reasoning;
      metadata = r.metadata;
      extra = r.extra;
    }

    public Builder model(String v) { model = v; return this; }
    public Builder dialect(Dialect v) { dialect = v; return this; }
    public Builder messages(List<ChatMessage> v) { messages = v; return this; }
    public Builder stream(boolean v) { stream = v; return this; }
    public Builder includeUsage(boolean v) { includeUsage = v; return this; }
    public Builder maxTokens(Integer v) { maxTokens = v; return this; }
    public Builder maxCompletionTokens(Integer v) { maxCompletionTokens = v; return this; }
    public Builder temperature(Double v) { temperature = v; return this; }
    public Builder topP(Double v) { topP = v; return this; }
    public Builder topK(Integer v) { topK = v; return this; }
    public Builder n(Integer v) { n = v; return this; }
    public Builder stop(List<String> v) { stop = v; return this; }
    public Builder user(String v) { user = v; return this; }
    public Builder tools(List<Tool> v) { tools = v; return this; }
    public Builder toolChoice(ToolChoice v) { toolChoice = v; return this; }
    public Builder parallelToolCalls(Boolean v) { parallelToolCalls = v; return this; }
    public Builder responseFormat(ResponseFormat v) { responseFormat = v; return this; }
    public Builder reasoning(ReasoningOptions v) { reasoning = v; return this; }
    public Builder metadata(Map<String, String> v) { metadata = v; return this; }
    public Builder extra(Map<String, RawJson> v) { extra = v; return this; }

    public ChatRequest build() {
      return new ChatRequest(model, dialect, messages, stream, includeUsage, maxTokens, maxCompletionTokens,
          temperature, topP, topK, n, stop, user, tools, toolChoice, parallelToolCalls, responseFormat, reasoning,
          metadata, extra);
    }
  }
}
