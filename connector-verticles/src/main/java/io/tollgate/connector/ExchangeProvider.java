package io.tollgate.connector;

/**
 * A provider whose every call is one {@link StreamingExchange} with its endpoint: the OpenAI,
 * Anthropic and Gemini connectors differ only in their name, endpoint and exchange.
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
  private final Exchanges<E> exchanges;

  protected ExchangeProvider(String name, ProviderContext context, E endpoint, Exchanges<E> exchanges) {
    this.name = name;
    this.context = context;
    this.endpoint = endpoint;
    this.exchanges = exchanges;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void start(ProviderCall call) {
    exchanges.create(context, endpoint, call).start();
  }
}
