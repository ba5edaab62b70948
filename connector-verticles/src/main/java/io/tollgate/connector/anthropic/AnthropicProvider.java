package io.tollgate.connector.anthropic;

import io.tollgate.connector.Provider;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;

/** The Anthropic Messages API (api.anthropic.com, or anything speaking it at another base_url). */
public final class AnthropicProvider implements Provider {

  public static final String NAME = "anthropic";

  private final ProviderContext context;
  private final AnthropicEndpoint endpoint;

  public AnthropicProvider(ProviderContext context) {
    this(context, new AnthropicEndpoint());
  }

  public AnthropicProvider(ProviderContext context, AnthropicEndpoint endpoint) {
    this.context = context;
    this.endpoint = endpoint;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderCall call) {
    new AnthropicExchange(context, endpoint, call).start();
  }
}
