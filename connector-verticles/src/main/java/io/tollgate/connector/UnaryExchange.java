package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.OperationRequest;
import io.vertx.core.json.JsonObject;

/**
 * One call of a unary operation (embeddings ...): the upstream answers one body, read whole and
 * capped like a non-streaming completion, and the subclass reports it with
 * {@link ProviderCall#result} and {@link ProviderCall#usage} from {@link #onWhole}. Connecting,
 * credentials, egress checks, error statuses and their logging are the streaming exchange's.
 */
public abstract class UnaryExchange extends StreamingExchange {

  protected UnaryExchange(ProviderContext context, ProviderCall call) {
    super(context, call);
  }

  @Override
  protected final boolean answersWhole() {
    return true;
  }

  @Override
  protected final void onEvent(SseParser.Event event) {
    throw new IllegalStateException("a unary answer has no events");
  }

  @Override
  protected final boolean completeAtEnd() {
    return false;
  }

  @Override
  protected abstract void onWhole(JsonObject body);

  /** The call's embeddings request; the router only sends embeddings calls to embeddings exchanges. */
  protected final EmbeddingsRequest embeddings() {
    OperationRequest payload = call.call().payload();
    if (payload instanceof EmbeddingsRequest e) {
      return e;
    }
    throw new GatewayException(ErrorCode.INTERNAL, "not an embeddings call");
  }

  /** The call's request as {@code type}; the router sends each operation only to its own exchange. */
  protected final <T extends OperationRequest> T payload(Class<T> type) {
    OperationRequest payload = call.call().payload();
    if (type.isInstance(payload)) {
      return type.cast(payload);
    }
    throw new GatewayException(ErrorCode.INTERNAL, "not a " + type.getSimpleName() + " call");
  }

  /** The upstream's model name: the deployment's {@code upstream_model}, else the public name. */
  protected final String upstreamModel() {
    String upstream = call.call().deployment().upstreamModel();
    return upstream != null && !upstream.isBlank() ? upstream.trim() : call.call().model();
  }

  /** An answer the gateway cannot use: its reason is the gateway's own words, safe to show. */
  protected static GatewayException malformed(String why) {
    return new GatewayException(ErrorCode.UPSTREAM_ERROR, "malformed response from upstream: " + why);
  }
}
