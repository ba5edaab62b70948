package io.tollgate.connector.gemini;

import io.tollgate.api.ops.Operation;
import io.tollgate.connector.ExchangeProvider;
import io.tollgate.connector.ProviderContext;

/** Google AI Studio's Gemini API (generativelanguage v1beta). */
public final class GeminiProvider extends ExchangeProvider<GeminiEndpoint> {

  public static final String NAME = "gemini";

  public GeminiProvider(ProviderContext context) {
    this(context, new GeminiEndpoint());
  }

  public GeminiProvider(ProviderContext context, GeminiEndpoint endpoint) {
    super(NAME, context, endpoint, GeminiExchange::new);
    serve(Operation.EMBEDDINGS, GeminiEmbeddingsExchange::new);
  }
}
