package io.tollgate.connector.azure;

import io.tollgate.connector.Provider;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.openai.OpenAiProvider;

/**
 * Azure OpenAI: the OpenAI connector (same request and stream mapping, content-filter finish
 * reasons included) on Azure's URLs and {@code api-key} header ({@link AzureOpenAiEndpoint}).
 */
public final class AzureOpenAiProvider implements Provider {

  public static final String NAME = "azure-openai";

  private final AzureOpenAiEndpoint endpoint = new AzureOpenAiEndpoint();
  private final Provider openAi;

  public AzureOpenAiProvider(ProviderContext context) {
    this.openAi = new OpenAiProvider(context, endpoint);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderCall call) {
    // A deployment that cannot form its URL (no upstream_model with an api_version) fails here, at
    // once, rather than after the credential was resolved.
    endpoint.chatUrl(call.call().deployment());
    openAi.start(call);
  }
}
