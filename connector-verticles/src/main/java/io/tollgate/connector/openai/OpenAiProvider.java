package io.tollgate.connector.openai;

import io.tollgate.api.ops.Operation;
import io.tollgate.connector.ExchangeProvider;
import io.tollgate.connector.ProviderContext;

/** Any OpenAI-compatible upstream (OpenAI, vLLM, Ollama, OpenRouter, LM Studio ...): chat, embeddings, legacy completions. */
public final class OpenAiProvider extends ExchangeProvider<OpenAiEndpoint> {

  public static final String NAME = "openai";

  public OpenAiProvider(ProviderContext context) {
    this(context, new OpenAiEndpoint());
  }

  public OpenAiProvider(ProviderContext context, OpenAiEndpoint endpoint) {
    super(NAME, context, endpoint, OpenAiExchange::new);
    serve(Operation.EMBEDDINGS, OpenAiEmbeddingsExchange::new);
    serve(Operation.COMPLETIONS, OpenAiCompletionsExchange::new);
  }
}
