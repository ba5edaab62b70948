package io.tollgate.api.ops;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A non-chat request, parsed once at the edge into one of these typed records and carried to the
 * connector in {@link io.tollgate.api.bus.RouteRequest#payload()} and
 * {@link io.tollgate.api.bus.UpstreamCall#payload()} (chat keeps its own field, {@code chat}).
 *
 * <p>The answer comes back on the same stream mechanism as chat: a unary operation's answer is an
 * {@link OperationResult} carried by the stream's one {@code END}
 * {@link io.tollgate.api.bus.StreamChunk}, together with the usage, status and deployment, so
 * attempt fencing, settlement, cancels and failover are the chat path's own. A streamed operation
 * (legacy completions with {@code stream: true}) streams text as chat does, in choice deltas.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EmbeddingsRequest.class, name = "embeddings"),
    @JsonSubTypes.Type(value = RerankRequest.class, name = "rerank"),
    @JsonSubTypes.Type(value = CompletionRequest.class, name = "completions")})
public sealed interface OperationRequest permits EmbeddingsRequest, RerankRequest, CompletionRequest {

  /** Which operation this is; never {@link Operation#CHAT}. */
  Operation operation();

  /** The public model name the client asked for. */
  String model();

  /** Whether the answer streams (only legacy completions can). */
  default boolean stream() {
    return false;
  }

  /**
   * The input's tokens without a tokenizer (about four characters a token; token arrays count
   * exactly): what admission reserves against tpm and budgets, and the usage of an upstream that
   * reports none.
   */
  long estimatedPromptTokens();

  /** Characters of text to tokens, four to one, rounded up. */
  static long tokensOfChars(long chars) {
    return (chars + 3) / 4;
  }
}
