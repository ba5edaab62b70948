package io.tollgate.connector.gemini;

import io.tollgate.connector.Provider;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;

/** Google AI Studio's Gemini API (generativelanguage v1beta). */
public final class GeminiProvider implements Provider {

  public static final String NAME = "gemini";

  private final ProviderContext context;
  private final GeminiEndpoint endpoint;

  public GeminiProvider(ProviderContext context) {
    this(context, new GeminiEndpoint());
  }

  public GeminiProvider(ProviderContext context, GeminiEndpoint endpoint) {
    this.context = context;
    this.endpoint = endpoint;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderCall call) {
    new GeminiExchange(context, endpoint, call).start();
  }
}
