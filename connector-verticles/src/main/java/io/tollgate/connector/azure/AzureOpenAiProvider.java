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

  private final Provider openAi;

  public AzureOpenAiProvider(ProviderContext context) {
    this.openAi = new OpenAiProvider(context, new AzureOpenAiEndpoint());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderCall call) {
    openAi.start(call);
  }
}
