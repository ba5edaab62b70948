package io.tollgate.connector.openai;

import io.tollgate.connector.Provider;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;

/** Any OpenAI-compatible upstream (OpenAI, vLLM, Ollama, OpenRouter, LM Studio ...). */
public final class OpenAiProvider implements Provider {

  public static final String NAME = "openai";

  private final ProviderContext context;
  private final OpenAiEndpoint endpoint;

  public OpenAiProvider(ProviderContext context) {
    this(context, new OpenAiEndpoint());
  }

  public OpenAiProvider(ProviderContext context, OpenAiEndpoint endpoint) {
    this.context = context;
    this.endpoint = endpoint;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderCall call) {
    new OpenAiExchange(context, endpoint, call).start();
  }
}
