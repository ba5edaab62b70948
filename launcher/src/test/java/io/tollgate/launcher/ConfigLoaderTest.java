package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.config.GatewayConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The YAML config file")
class ConfigLoaderTest {

  static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-live-secret", "PG_PASSWORD", "pw",
      "TEAM_KEY", "tg-team-key-0000000000000000000000000000");

  private static GatewayConfig load(String yaml) {
    return ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), ENV::get, "test.yaml");
  }

  @Test
  @DisplayName("interpolates ${VAR} and ${VAR:-default}, but keeps api_key as a reference for the connector")
  void interpolation() {
    GatewayConfig c = load("""
        models:
          - name: gpt
            deployments:
              - {id: d1, provider: openai, base_url: "${BASE:-https://api.openai.com/v1}", api_key: "${OPENAI_API_KEY}"}
        keys:
          - {name: team, secret: "${TEAM_KEY}", rpm: 60, budget_usd: {monthly: 12.50}}
        storage: {postgres_url: "postgresql://tollgate:${PG_PASSWORD}@db/tollgate"}
        limits: {rpm: 1000, fail_closed: true}
        """);
    assertThat(c.models().get(0).deployments().get(0).baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(c.models().get(0).deployments().get(0).apiKey()).isEqualTo("${OPENAI_API_KEY}");
    assertThat(c.keys().get(0).secret()).isEqualTo("tg-team-key-0000000000000000000000000000");
    assertThat(c.keys().get(0).limits().rpm()).isEqualTo(60L);
    assertThat(c.keys().get(0).limits().budgetUsd().monthly()).isEqualByComparingTo("12.50");
    assertThat(c.storage().postgresUrl()).isEqualTo("postgresql://tollgate:pw@db/tollgate");
    assertThat(c.storage().redisUrl()).isNull();
    assertThat(c.limits().rpm()).isEqualTo(1000L);
    assertThat(c.limits().failClosed()).isTrue();
  }

  @Test
  @DisplayName("refuses unknown fields, unset variables, unknown policies and duplicate names with a clear message")
  void refusals() {
    assertThatThrownBy(() -> load("models:\n  - {name: m, polcy: priority, deployments: [{id: d, provider: mock}]}\n"))
        .hasMessageContaining("unknown field 'polcy'");
    assertThatThrownBy(() -> load("models:\n  - name: m\n    deployments:\n      - id: d\n        provider: openai\n"
        + "        api_key: file:relative/key\n"))
        .hasMessageContaining("models[0].deployments[0].api_key").hasMessageContaining("absolute path");
    assertThatThrownBy(() -> load("keys:\n  - {name: k, secret: \"${NOT_SET}\"}\n"))
        .hasMessageContaining("NOT_SET is not set");
    assertThatThrownBy(() -> load("models:\n  - {name: m, policy: roulette, deployments: [{id: d, provider: mock}]}\n"))
        .hasMessageContaining("unknown routing policy 'roulette'");
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: mock}]}\n"
        + "  - {name: m, deployments: [{id: e, provider: mock}]}\n"))
        .hasMessageContaining("'m' is used twice");
  }

  @Test
  @DisplayName("reads Vertex, Entra ID, preset and headers fields; api_key stays a reference, header values are interpolated")
  void providerFields() {
    GatewayConfig c = load("""
        models:
          - name: m
            deployments:
              - {id: vx, provider: vertex, api_key: "file:/run/secrets/sa.json", project: p1, location: europe-west4,
                 upstream_model: gemini-2.5-flash}
              - {id: az, provider: azure-openai, base_url: "https://r.openai.azure.com", api_key: "${AZURE_SECRET}",
                 tenant_id: t1, client_id: c1, api_version: "2024-10-21"}
              - id: or
                provider: openai
                preset: openrouter
                api_key: "${OPENROUTER_KEY}"
                headers: {HTTP-Referer: "https://${PG_PASSWORD}.example", X-Title: Team A}
        """);
    var ds = c.models().get(0).deployments();
    assertThat(ds.get(0).project()).isEqualTo("p1");
    assertThat(ds.get(0).location()).isEqualTo("europe-west4");
    assertThat(ds.get(1).usesEntraId()).isTrue();
    assertThat(ds.get(1).apiKey()).isEqualTo("${AZURE_SECRET}");
    assertThat(ds.get(2).baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(ds.get(2).headers()).containsEntry("HTTP-Referer", "https://pw.example").containsEntry("X-Title", "Team A");
  }

  @Test
  @DisplayName("an unknown preset, a token_url the egress policy refuses and a bad header stop the start, naming the field")
  void providerFieldRefusals() {
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: openai, preset: llamafile}]}\n"))
        .hasMessageContaining("models[0].deployments[0].preset").hasMessageContaining("vllm");
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: vertex, "
        + "token_url: \"http://169.254.169.254/token\"}]}\n"))
        .hasMessageContaining("models[0].deployments[0].token_url").hasMessageContaining("allow_link_local");
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: openai, "
        + "base_url: \"http://x\", headers: {Content-Length: \"1\"}}]}\n"))
        .hasMessageContaining("Content-Length is set by the connector");
  }

  @Test
  @DisplayName("capabilities: known words load as written, an unknown word or an empty list stops the start naming it")
  void capabilities() {
    GatewayConfig c = load("models:\n  - {name: m, deployments: [{id: d, provider: openai, "
        + "capabilities: [chat, tools, streaming, embeddings]}]}\n");
    assertThat(c.models().get(0).deployments().get(0).capabilities())
        .containsExactly("chat", "tools", "streaming", "embeddings");
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: mock}, "
        + "{id: e, provider: openai, capabilities: [chat, function_calling]}]}\n"))
        .hasMessageContaining("models[0].deployments[1].capabilities[1]")
        .hasMessageContaining("'function_calling' is not a capability")
        .hasMessageContaining("chat, embeddings, rerank, completions, tools, vision, streaming");
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: openai, capabilities: []}]}\n"))
        .hasMessageContaining("models[0].deployments[0].capabilities: must not be empty");
  }

  @Test
  @DisplayName("cache blocks on models and keys are read, and out-of-range ones stop the start naming the field")
  void cacheBlocks() {
    GatewayConfig c = load("models:\n  - {name: m, cache: {ttl_seconds: 60, max_temperature: 0.5}, "
        + "deployments: [{id: d, provider: mock}]}\nkeys:\n  - {name: k, secret: s, cache: {enabled: false}}\n");
    assertThat(c.models().get(0).cache().chatTtlSeconds()).isEqualTo(60);
    assertThat(c.models().get(0).cache().temperatureBound()).isEqualTo(0.5);
    assertThat(c.keys().get(0).cache().on()).isFalse();
    assertThatThrownBy(() -> load("models:\n  - {name: m, cache: {ttl_seconds: 0}, deployments: [{id: d, provider: mock}]}\n"))
        .hasMessageContaining("models[0].cache.ttl_seconds");
    assertThatThrownBy(() -> load("keys:\n  - {name: k, secret: s, cache: {max_temperature: -1}}\n"))
        .hasMessageContaining("keys[0].cache.max_temperature");
    assertThatThrownBy(() -> load("models:\n  - {name: m, cache: {ttl: 5}, deployments: [{id: d, provider: mock}]}\n"))
        .hasMessageContaining("unknown field 'ttl'");
  }

  @Test
  @DisplayName("a deployment base_url the egress policy refuses stops the start, naming the field")
  void egress() {
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: openai, "
        + "base_url: \"http://169.254.169.254/latest\"}]}\n"))
        .hasMessageContaining("models[0].deployments[0].base_url").hasMessageContaining("allow_link_local");
    assertThatThrownBy(() -> load("models:\n  - {name: m, deployments: [{id: d, provider: openai, "
        + "base_url: \"file:///etc/passwd\"}]}\n"))
        .hasMessageContaining("models[0].deployments[0].base_url must be an http or https URL");
    assertThatThrownBy(() -> load("egress: {allow_hosts: [api.openai.com]}\nmodels:\n  - {name: m, deployments: "
        + "[{id: a, provider: openai, base_url: \"https://api.openai.com/v1\"}, "
        + "{id: b, provider: openai, base_url: \"https://proxy.example.com/v1\"}]}\n"))
        .hasMessageContaining("models[0].deployments[1].base_url has host proxy.example.com");
    GatewayConfig allowed = load("egress: {allow_link_local: true, allow_loopback: false}\nmodels:\n"
        + "  - {name: m, deployments: [{id: d, provider: openai, base_url: \"http://169.254.10.10/v1\"}]}\n");
    assertThat(allowed.egress().allowLinkLocal()).isTrue();
    assertThat(allowed.egress().allowLoopback()).isFalse();
    assertThat(load("models: []\n").egress()).isEqualTo(io.tollgate.api.config.EgressPolicy.DEFAULTS);
  }

  @Test
  @DisplayName("token counts are 64-bit: a daily quota of 5 billion tokens and a tpm past 2^31 load as they are")
  void largeCounts() {
    GatewayConfig c = load("""
        keys:
          - {name: big, secret: s, tpm: 3000000000, token_quota: {daily: 5000000000, total: "${TOTAL:-9223372036854775807}"}}
        limits: {tpm: 4000000000}
        """);
    assertThat(c.keys().get(0).limits().tokenQuota().daily()).isEqualTo(5_000_000_000L);
    assertThat(c.keys().get(0).limits().tokenQuota().total()).isEqualTo(Long.MAX_VALUE);
    assertThat(c.keys().get(0).limits().tpm()).isEqualTo(3_000_000_000L);
    assertThat(c.limits().tpm()).isEqualTo(4_000_000_000L);
  }

  @Test
  @DisplayName("a count out of range or of the wrong type is refused naming the field, not with Jackson's message")
  void countOutOfRange() {
    String expected = "must be a whole number between 0 and 9223372036854775807";
    assertThatThrownBy(() -> load("keys:\n  - {name: k, secret: s, token_quota: {daily: 99999999999999999999}}\n"))
        .hasMessage("test.yaml: keys[0].token_quota.daily: " + expected);
    assertThatThrownBy(() -> load("keys:\n  - {name: k, secret: s}\n  - {name: l, secret: t, rpm: lots}\n"))
        .hasMessage("test.yaml: keys[1].rpm: " + expected);
    assertThatThrownBy(() -> load("limits: {tpm: -1}\n")).hasMessage("test.yaml: limits.tpm: " + expected);
    assertThatThrownBy(() -> load("limits: {rpm: 1.5}\n")).hasMessage("test.yaml: limits.rpm: " + expected);
  }
}
