package io.tollgate.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.codec.Wire;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DeploymentConfig: presets, Vertex and Entra ID fields, extra headers")
class DeploymentConfigTest {

  private static DeploymentConfig of(String provider, String baseUrl, MaxTokensField field, OpenAiPreset preset,
                                     Map<String, String> headers) {
    return new DeploymentConfig("d1", provider, baseUrl, "${KEY}", "m", null, null, null, null, null, null, null,
        null, field, null, null, null, null, null, null, null, null, null, preset, headers);
  }

  @Test
  @DisplayName("a preset fills base_url and max_tokens_field when they are not set, and never overrides them")
  void presetDefaults() {
    DeploymentConfig groq = of("openai", null, null, OpenAiPreset.GROQ, null);
    assertThat(groq.baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(groq.maxTokensField()).isEqualTo(MaxTokensField.MAX_COMPLETION_TOKENS);
    assertThat(of("openai", " ", null, OpenAiPreset.OLLAMA, null).baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");

    DeploymentConfig own = of("openai", "http://10.0.0.5:8000/v1", MaxTokensField.AS_SENT, OpenAiPreset.VLLM, null);
    assertThat(own.baseUrl()).isEqualTo("http://10.0.0.5:8000/v1");
    assertThat(own.maxTokensField()).isEqualTo(MaxTokensField.AS_SENT);
    assertThat(of("openai", "http://x", null, null, null).maxTokensField()).isEqualTo(MaxTokensField.AS_SENT);
  }

  @Test
  @DisplayName("a preset on another provider, Entra ID half configured, or a bad header is refused with a message naming the field")
  void refusals() {
    assertThatThrownBy(() -> of("anthropic", null, null, OpenAiPreset.VLLM, null))
        .hasMessageContaining("preset applies to provider openai");
    assertThatThrownBy(() -> new DeploymentConfig("d1", "azure-openai", "https://r.openai.azure.com", "${S}", "m",
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, "tenant", null, null,
        null, null)).hasMessageContaining("tenant_id and client_id go together");
    assertThatThrownBy(() -> of("openai", "http://x", null, null, Map.of("Host", "evil")))
        .hasMessageContaining("Host is set by the connector");
    assertThatThrownBy(() -> of("openai", "http://x", null, null, Map.of("X-Key", "secret-value\r\nX-Evil: 1")))
        .hasMessageContaining("X-Key must be one line").hasMessageNotContaining("secret-value");
    assertThatThrownBy(() -> of("openai", "http://x", null, null, Map.of("bad name", "v")))
        .hasMessageContaining("not a header name");
    Map<String, String> twice = new LinkedHashMap<>();
    twice.put("X-Title", "a");
    twice.put("x-title", "b");
    assertThatThrownBy(() -> of("openai", "http://x", null, null, twice)).hasMessageContaining("given twice");
  }

  @Test
  @DisplayName("printing a deployment masks header values and a literal api_key, keeps references")
  void toStringMasks() {
    DeploymentConfig d = new DeploymentConfig("d1", "openai", "http://x", "sk-literal-secret", "m", null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        Map.of("X-Api-Token", "hdr-secret"));
    assertThat(d.toString()).contains("X-Api-Token").doesNotContain("hdr-secret").doesNotContain("sk-literal-secret");
    assertThat(of("openai", "http://x", null, null, null).toString()).contains("apiKey=${KEY}");
  }

  @Test
  @DisplayName("the new fields survive JSON in snake_case (config file, admin API, event bus) and equal headers serialize alike")
  void json() throws Exception {
    String json = """
        {"id":"v1","provider":"vertex","api_key":"file:/run/secrets/sa.json","upstream_model":"gemini-2.5-flash",
         "project":"p1","location":"europe-west4","token_url":"http://127.0.0.1:1/token",
         "headers":{"X-B":"2","X-A":"1"}}""";
    DeploymentConfig d = Wire.MAPPER.readValue(json, DeploymentConfig.class);
    assertThat(d.project()).isEqualTo("p1");
    assertThat(d.location()).isEqualTo("europe-west4");
    assertThat(d.tokenUrl()).isEqualTo("http://127.0.0.1:1/token");
    assertThat(Wire.MAPPER.writeValueAsString(d)).contains("\"headers\":{\"X-A\":\"1\",\"X-B\":\"2\"}");
    assertThat(Wire.MAPPER.readValue(Wire.MAPPER.writeValueAsString(d), DeploymentConfig.class)).isEqualTo(d);

    DeploymentConfig p = Wire.MAPPER.readValue("""
        {"id":"o","provider":"openai","preset":"openrouter","tenant_id":"t","client_id":"c"}""", DeploymentConfig.class);
    assertThat(p.preset()).isEqualTo(OpenAiPreset.OPENROUTER);
    assertThat(p.usesEntraId()).isTrue();
    assertThat(Wire.MAPPER.writeValueAsString(p)).contains("\"preset\":\"openrouter\"");
  }

  @Test
  @DisplayName("the constructors from before these fields still build the same deployment")
  void oldConstructors() {
    DeploymentConfig old = new DeploymentConfig("d1", "azure-openai", "https://r", "${K}", "m", 1, 0, null, null,
        BigDecimal.ONE, BigDecimal.TEN, null, null, null, "2024-10-21", List.of("chat"));
    assertThat(old.apiVersion()).isEqualTo("2024-10-21");
    assertThat(old.preset()).isNull();
    assertThat(old.headers()).isNull();
    assertThat(new DeploymentConfig("d1", "openai", "u", null, null, 1, 0, null, null, null, null, null, null, null, 7,
        null, "v", List.of("chat")).defaultMaxTokens()).isEqualTo(7);
  }

  @Test
  @DisplayName("a canary's weight keeps every other field of a deployment (api_version, capabilities, Vertex, headers, default_max_tokens)")
  void canaryKeepsFields() {
    DeploymentConfig d = new DeploymentConfig("d1", "vertex", null, "${SA}", "gemini", 3, 0, null, null, null, null,
        null, null, null, 512, BigDecimal.ONE, "v", List.of("chat"), "p1", "europe-west4", null, null, null, null,
        Map.of("X-A", "1"));
    ModelConfig model = new ModelConfig("m", List.of(), "weighted", null, List.of(d), null,
        new RoutingCanary(null, null, Map.of("d1", 9), 10.0, null));

    DeploymentConfig applied = model.canaryApplied().deployments().get(0);

    assertThat(applied.weight()).isEqualTo(9);
    assertThat(applied.withWeight(3)).isEqualTo(d);
  }

  @Test
  @DisplayName("rerank presets: jina, vllm and tei on provider cohere (filling base_url), jina and tei refused on openai")
  void rerankPresets() {
    assertThat(of("cohere", null, null, OpenAiPreset.JINA, null).baseUrl()).isEqualTo("https://api.jina.ai/v1");
    assertThat(of("cohere", null, null, OpenAiPreset.TEI, null).baseUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(of("cohere", null, null, OpenAiPreset.VLLM, null).baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThatThrownBy(() -> of("openai", null, null, OpenAiPreset.TEI, null))
        .hasMessageContaining("tei does not apply to openai");
    assertThatThrownBy(() -> of("cohere", null, null, OpenAiPreset.GROQ, null))
        .hasMessageContaining("groq does not apply to cohere");
  }
}
