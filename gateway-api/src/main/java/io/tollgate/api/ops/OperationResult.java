package io.tollgate.api.ops;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The answer of a unary (non-streamed) operation. It rides on the stream's
 * {@link io.tollgate.api.bus.StreamChunk.Kind#END END} chunk, set only when that chunk's status is
 * OK; a connector reports it with {@code ProviderCall.result(...)} before completing the call.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EmbeddingsResult.class, name = "embeddings"),
    @JsonSubTypes.Type(value = RerankResult.class, name = "rerank")})
public sealed interface OperationResult permits EmbeddingsResult, RerankResult {
}
