package io.tollgate.connector;

import io.tollgate.connector.anthropic.AnthropicProvider;
import io.tollgate.connector.azure.AzureOpenAiProvider;
import io.tollgate.connector.cohere.CohereProvider;
import io.tollgate.connector.gemini.GeminiProvider;
import io.tollgate.connector.mock.MockProvider;
import io.tollgate.connector.openai.OpenAiProvider;
import io.tollgate.connector.vertex.VertexProvider;
import java.util.Map;
import java.util.function.Function;

/** The built-in providers by name; a new protocol adds one line here and a package of its own. */
public final class Providers {

  private static final Map<String, Function<ProviderContext, Provider>> BUILT_IN = Map.of(
      OpenAiProvider.NAME, OpenAiProvider::new,
      AnthropicProvider.NAME, AnthropicProvider::new,
      AzureOpenAiProvider.NAME, AzureOpenAiProvider::new,
      GeminiProvider.NAME, GeminiProvider::new,
      VertexProvider.NAME, VertexProvider::new,
      CohereProvider.NAME, CohereProvider::new,
      MockProvider.NAME, MockProvider::new);

  private Providers() {
  }

  public static Provider create(String name, ProviderContext context) {
    Function<ProviderContext, Provider> factory = BUILT_IN.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown provider '" + name + "', known: " + BUILT_IN.keySet());
    }
    return factory.apply(context);
  }
}
