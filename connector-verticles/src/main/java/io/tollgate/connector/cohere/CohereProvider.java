package io.tollgate.connector.cohere;

import io.tollgate.api.ops.Operation;
import io.tollgate.connector.ExchangeProvider;
import io.tollgate.connector.ProviderContext;

/**
 * Rerank upstreams ({@code provider: cohere}): Cohere v2 by default, Jina, vLLM or Hugging Face TEI
 * by the deployment's {@code preset} ({@link CohereEndpoint.Wire}). Rerank only: no chat.
 */
public final class CohereProvider extends ExchangeProvider<CohereEndpoint> {

  public static final String NAME = "cohere";

  public CohereProvider(ProviderContext context) {
    this(context, new CohereEndpoint());
  }

  public CohereProvider(ProviderContext context, CohereEndpoint endpoint) {
    super(NAME, context, endpoint);
    serve(Operation.RERANK, CohereRerankExchange::new);
  }
}
