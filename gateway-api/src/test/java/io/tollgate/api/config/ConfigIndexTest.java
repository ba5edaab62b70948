package io.tollgate.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Config index: lookups and applying events")
class ConfigIndexTest {

  static ApiKey key(String id, String secret, boolean enabled, long version) {
    return new ApiKey(id, "t1", "name-" + id, Secrets.hash(secret), null, enabled, null, null, null, version);
  }

  static ModelConfig model(String name, String alias) {
    return new ModelConfig(name, List.of(alias), null,
        List.of(new DeploymentConfig(name + "-d", "mock", null, null, null, null, null, null, null, null, null, null)));
  }

  @Test
  @DisplayName("keys are found by secret, models by name or alias, tenants by id")
  void lookups() {
    ConfigIndex index = new ConfigIndex(new ConfigSnapshot(3, List.of(new Tenant("t1", "acme", true, null, 1)),
        List.of(key("k1", "tg-one", true, 2)), List.of(model("gpt", "gpt-latest"))));
    assertThat(index.version()).isEqualTo(3);
    assertThat(index.keyBySecret("tg-one").id()).isEqualTo("k1");
    assertThat(index.keyByHash(Secrets.hash("tg-one")).id()).isEqualTo("k1");
    assertThat(index.keyBySecret("tg-other")).isNull();
    assertThat(index.model("gpt-latest").name()).isEqualTo("gpt");
    assertThat(index.model("gpt").name()).isEqualTo("gpt");
    assertThat(index.tenant("t1").name()).isEqualTo("acme");
  }

  @Test
  @DisplayName("a rules model looked up carries the deployments of the models its rules name, "
      + "so its route budget, cost estimate and stream timeouts cover them; the snapshot keeps it as configured")
  void rulesModelExpanded() {
    ModelConfig auto = new ModelConfig("auto", null, ModelConfig.POLICY_RULES, null, null, List.of(
        new RouteRule("a", null, "gpt-latest"), new RouteRule("b", null, "claude"), new RouteRule("c", null, "none")));
    ConfigIndex index = new ConfigIndex(new ConfigSnapshot(1, null, null,
        List.of(model("gpt", "gpt-latest"), model("claude", "claude-latest"), auto)));
    assertThat(index.model("auto").deployments()).extracting(DeploymentConfig::id)
        .containsExactly("gpt-d", "claude-d");
    assertThat(index.model("auto").rules()).hasSize(3);
    assertThat(index.model("auto").routeBudgetMs()).isGreaterThan(1);
    assertThat(index.models().get(2).deployments()).isEmpty();
    ConfigIndex after = index.apply(ConfigEvent.removed(2, ConfigEvent.Kind.MODEL, "claude"));
    assertThat(after.model("auto").deployments()).extracting(DeploymentConfig::id).containsExactly("gpt-d");
  }

  @Test
  @DisplayName("events add, replace and remove entries and leave the old index untouched")
  void events() {
    ConfigIndex v3 = new ConfigIndex(new ConfigSnapshot(3, null, List.of(key("k1", "tg-one", true, 2)), null));
    ConfigIndex v4 = v3.apply(ConfigEvent.key(4, key("k1", "tg-rotated", false, 4)));
    assertThat(v4.version()).isEqualTo(4);
    assertThat(v4.keyBySecret("tg-one")).as("a rotated key's old secret stops working").isNull();
    assertThat(v4.keyBySecret("tg-rotated").enabled()).isFalse();
    assertThat(v3.keyBySecret("tg-one")).as("the old index is immutable").isNotNull();

    ConfigIndex v5 = v4.apply(ConfigEvent.model(5, model("llama", "llama-3")));
    ConfigIndex v6 = v5.apply(ConfigEvent.model(6, model("llama", "llama-3.1")));
    assertThat(v6.model("llama-3")).as("a replaced model's old alias is gone").isNull();
    assertThat(v6.model("llama-3.1").name()).isEqualTo("llama");
    assertThat(v6.models()).hasSize(1);

    ConfigIndex v7 = v6.apply(ConfigEvent.removed(7, ConfigEvent.Kind.KEY, "k1"))
        .apply(ConfigEvent.tenant(8, new Tenant("t2", "beta", true, null, 8)));
    assertThat(v7.keys()).isEmpty();
    assertThat(v7.keyBySecret("tg-rotated")).isNull();
    assertThat(v7.tenant("t2").name()).isEqualTo("beta");
    assertThat(v7.version()).isEqualTo(8);
  }
}
