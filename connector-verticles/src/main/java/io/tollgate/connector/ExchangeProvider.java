package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.ops.Operation;
import java.util.EnumMap;
import java.util.Map;

/**
 * A provider whose every call is one {@link StreamingExchange} with its endpoint: the OpenAI,
 * Anthropic and Gemini connectors differ only in their name, endpoint and exchanges. Chat is the
 * constructor's exchange; other operations (embeddings ...) register theirs with {@link #serve}.
 * An operation a provider has no exchange for fails the call with {@code capability_not_supported}
 * (the router does not send one unless a deployment declares a capability its provider lacks).
 *
 * @param <E> the endpoint type (URL, headers, status mapping), replaceable in tests and by
 *     providers built on another's wire format (Azure's endpoint on the OpenAI exchange)
 */
public abstract class ExchangeProvider<E> implements Provider {

  /** Builds one call's exchange; the exchanges' constructors fit it. */
  @FunctionalInterface
  protected interface Exchanges<E> {
    StreamingExchange create(ProviderContext context, E endpoint, ProviderCall call);
  }

  private final String name;
  private final ProviderContext context;
  private final E endpoint;
  private final Map<Operation, Exchanges<E>> exchanges = new EnumMap<>(Operation.class);

  protected ExchangeProvider(String name, ProviderContext context, E endpoint, Exchanges<E> chat) {
    this.name = name;
    this.context = context;
    this.endpoint = endpoint;
    exchanges.put(Operation.CHAT, chat);
  }

  /** A provider that serves no chat (rerank-only upstreams): every operation registers with {@link #serve}. */
  protected ExchangeProvider(String name, ProviderContext context, E endpoint) {
    this.name = name;
    this.context = context;
    this.endpoint = endpoint;
  }

  /** Serves {@code operation} with {@code exchange}s; call from the subclass's constructor. */
  protected final void serve(Operation operation, Exchanges<E> exchange) {
    exchanges.put(operation, exchange);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void start(ProviderCall call) {
    Operation op = call.call().operation();
    Exchanges<E> factory = exchanges.get(op);
    if (factory == null) {
      call.fail(unsupported(call, name));
      return;
    }
    factory.create(context, endpoint, call).start();
  }

  /** The failure of a call whose operation a provider does not implement. */
  public static GatewayException unsupported(ProviderCall call, String provider) {
    return new GatewayException(ErrorCode.CAPABILITY_NOT_SUPPORTED, "deployment " + call.call().deployment().id()
        + " (provider " + provider + ") cannot serve " + call.call().operation().capability().wire());
  }
}
