package io.tollgate.connector.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.gemini.GeminiEndpoint;
import io.tollgate.connector.openai.OpenAiEndpoint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Embeddings URLs: the chat URL's place for every OpenAI-shaped provider, Gemini's batch method")
class EmbeddingsUrlTest {

  private static DeploymentConfig d(String provider, String baseUrl, String upstream, String apiVersion) {
    return new DeploymentConfig("d", provider, baseUrl, null, upstream, null, null, null, null, null, null, null, null,
        null, apiVersion, null);
  }

  @Test
  @DisplayName("OpenAI-compatible: {base_url}/embeddings, a trailing slash tolerated")
  void openAi() {
    assertThat(new OpenAiEndpoint().embeddingsUrl(d("openai", "http://h:8000/v1/", null, null)))
        .isEqualTo("http://h:8000/v1/embeddings");
  }

  @Test
  @DisplayName("Azure: the deployment path keeps its api-version; without one, the /openai/v1 route")
  void azure() {
    AzureOpenAiEndpoint azure = new AzureOpenAiEndpoint();
    assertThat(azure.embeddingsUrl(d("azure-openai", "https://r.openai.azure.com", "embed prod", "2024-10-21")))
        .isEqualTo("https://r.openai.azure.com/openai/deployments/embed%20prod/embeddings?api-version=2024-10-21");
    assertThat(azure.embeddingsUrl(d("azure-openai", "https://r.openai.azure.com/openai/v1/", "embed", null)))
        .isEqualTo("https://r.openai.azure.com/openai/v1/embeddings");
    assertThat(azure.embeddingsUrl(d("azure-openai", "https://r.openai.azure.com", "embed", "v1")))
        .isEqualTo("https://r.openai.azure.com/openai/v1/embeddings");
  }

  @Test
  @DisplayName("Gemini: models/{model}:batchEmbedContents under v1beta, a models/ prefix tolerated")
  void gemini() {
    assertThat(new GeminiEndpoint().batchEmbedUrl(d("gemini", null, "models/gemini-embedding-001", null), "pub"))
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents");
  }
}
