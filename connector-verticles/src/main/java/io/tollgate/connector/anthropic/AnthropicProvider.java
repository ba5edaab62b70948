package io.tollgate.connector.anthropic;

import io.tollgate.connector.ExchangeProvider;
import io.tollgate.connector.ProviderContext;

/** The Anthropic Messages API (api.anthropic.com, or anything speaking it at another base_url). */
public final class AnthropicProvider extends ExchangeProvider<AnthropicEndpoint> {

  public static final String NAME = "anthropic";

  public AnthropicProvider(ProviderContext context) {
    this(context, new AnthropicEndpoint());
  }

  public AnthropicProvider(ProviderContext context, AnthropicEndpoint endpoint) {
    super(NAME, context, endpoint, AnthropicExchange::new);
  }
}
