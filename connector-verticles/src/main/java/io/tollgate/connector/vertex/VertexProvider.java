package io.tollgate.connector.vertex;

import io.tollgate.api.ops.Operation;
import io.tollgate.connector.ExchangeProvider;
import io.tollgate.connector.ProviderContext;

/** Gemini on Vertex AI: regional endpoints, service-account keys (see {@link VertexEndpoint}); text embeddings by {@code :predict}. */
public final class VertexProvider extends ExchangeProvider<VertexEndpoint> {

  public static final String NAME = "vertex";

  public VertexProvider(ProviderContext context) {
    this(context, new VertexEndpoint());
  }

  public VertexProvider(ProviderContext context, VertexEndpoint endpoint) {
    super(NAME, context, endpoint, VertexExchange::new);
    serve(Operation.EMBEDDINGS, VertexEmbeddingsExchange::new);
  }
}
