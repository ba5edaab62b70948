package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.TestPostgres;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.api.keys.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Admin API: models and the config file")
class ModelAndConfigTest {

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static AdminNode node;

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    node = AdminNode.start(pg.uri(), SecretBox.generateKey());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  static JsonObject model(String name, String deploymentId, String apiKey) {
    return new JsonObject().put("name", name).put("aliases", new JsonArray().add(name + "-latest"))
        .put("deployments", new JsonArray().add(new JsonObject().put("id", deploymentId).put("provider", "openai")
            .put("base_url", "https://upstream.invalid/v1").put("api_key", apiKey).put("weight", 2)
            .put("timeouts", new JsonObject().put("first_byte_ms", 3000))
            .put("input_price_per_mtok", 2.5).put("output_price_per_mtok", 10)));
  }

  @Test
  @DisplayName("a rules model (auto) needs no deployments and keeps its rules; bad rules are 400 naming the field")
  void rulesModel() {
    JsonObject auto = new JsonObject().put("name", "auto").put("policy", "rules").put("rules", new JsonArray()
        .add(new JsonObject().put("name", "long").put("when", new JsonObject().put("min_prompt_tokens", 4000))
            .put("model", "big"))
        .add(new JsonObject().put("name", "code").put("when", new JsonObject()
            .put("keywords", new JsonArray().add("java")).put("tenants", new JsonArray().add("t1"))
            .put("metadata", new JsonObject().put("tier", "gold"))).put("model", "coder"))
        .add(new JsonObject().put("name", "default").put("model", "cheap")));
    Response created = node.client.post("/admin/v1/models", auto);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Response read = node.client.get("/admin/v1/models/auto");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    JsonArray rules = read.json().getJsonArray("rules");
    assertThat(rules).hasSize(3);
    assertThat(rules.getJsonObject(1).getJsonObject("when").getJsonArray("keywords").getString(0)).isEqualTo("java");
    assertThat(rules.getJsonObject(1).getJsonObject("when").getJsonObject("metadata").getString("tier"))
        .isEqualTo("gold");

    JsonObject nameless = new JsonObject().put("name", "auto2").put("policy", "rules").put("rules",
        new JsonArray().add(new JsonObject().put("model", "cheap")));
    Response bad = node.client.post("/admin/v1/models", nameless);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("rules[0].name");

    Response noRules = node.client.post("/admin/v1/models", new JsonObject().put("name", "auto3").put("policy", "rules"));
    assertThat(noRules.status()).isEqualTo(400);
    assertThat(noRules.error().getString("param")).isEqualTo("rules");
    assertThat(node.client.delete("/admin/v1/models/auto").status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a canary is put, rolled back and promoted with one call each; a bad canary is 400 naming the field")
  void canary() {
    JsonObject m = model("canaried", "can-a", "${K}");
    m.getJsonArray("deployments").add(new JsonObject().put("id", "can-b").put("provider", "mock"));
    assertThat(node.client.post("/admin/v1/models", m).status()).isEqualTo(201);
    JsonObject canary = new JsonObject().put("policy", "thompson").put("percent", 20)
        .put("weights", new JsonObject().put("can-a", 0)).put("tenants", new JsonArray().add("t-vip"));

    Response put = node.client.put("/admin/v1/models/canaried/canary", canary);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().getJsonObject("canary").getDouble("percent")).isEqualTo(20.0);
    assertThat(node.client.get("/admin/v1/models/canaried").json().getJsonObject("canary").getJsonArray("tenants")
        .getString(0)).isEqualTo("t-vip");

    Response rolledBack = node.client.delete("/admin/v1/models/canaried/canary");
    assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
    assertThat(rolledBack.json().containsKey("canary")).isFalse();
    assertThat(rolledBack.json().getString("policy")).isEqualTo("priority");

    assertThat(node.client.put("/admin/v1/models/canaried/canary", canary).status()).isEqualTo(200);
    Response promoted = node.client.post("/admin/v1/models/canaried/canary/promote", new JsonObject());
    assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
    assertThat(promoted.json().getString("policy")).isEqualTo("thompson");
    assertThat(promoted.json().containsKey("canary")).isFalse();
    assertThat(promoted.json().getJsonArray("deployments").getJsonObject(0).getInteger("weight")).isZero();
    assertThat(promoted.json().getJsonArray("deployments").getJsonObject(0).getString("api_key"))
        .as("credentials survive").isEqualTo("${K}");

    Response bad = node.client.put("/admin/v1/models/canaried/canary", new JsonObject().put("percent", 150));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("canary.percent");
    assertThat(node.client.put("/admin/v1/models/none/canary", canary).status()).isEqualTo(404);
    assertThat(node.client.post("/admin/v1/models/canaried/canary/promote", new JsonObject()).status())
        .as("nothing to promote").isEqualTo(409);
  }

  @Test
  @DisplayName("a model with prices is created, read, replaced and deleted; names may contain slashes")
  void modelRoundTrip() {
    Response created = node.client.post("/admin/v1/models", model("meta/llama-3", "llama-a", "${LLAMA_KEY}"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject d = created.json().getJsonArray("deployments").getJsonObject(0);
    assertThat(d.getDouble("input_price_per_mtok")).isEqualTo(2.5);
    assertThat(d.getString("api_key")).as("references are shown as they are").isEqualTo("${LLAMA_KEY}");
    assertThat(d.getJsonObject("timeouts").getLong("first_byte_ms")).isEqualTo(3000);

    Response read = node.client.get("/admin/v1/models/meta/llama-3");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().getJsonArray("aliases").getString(0)).isEqualTo("meta/llama-3-latest");

    JsonObject replacement = model("meta/llama-3", "llama-b", "${OTHER}");
    replacement.remove("name");
    Response put = node.client.put("/admin/v1/models/meta/llama-3", replacement);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().getJsonArray("deployments").getJsonObject(0).getString("id")).isEqualTo("llama-b");
    assertThat(node.client.get("/admin/v1/models").json().getJsonArray("data")).hasSizeGreaterThanOrEqualTo(1);

    assertThat(node.client.delete("/admin/v1/models/meta/llama-3").status()).isEqualTo(204);
    assertThat(node.client.get("/admin/v1/models/meta/llama-3").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a deployment base_url aimed at cloud metadata or not http(s) is a 400 naming the field, by model and by import")
  void egressRefusals() {
    JsonObject metadata = model("egress-m", "egress-a", null);
    metadata.getJsonArray("deployments").getJsonObject(0).put("base_url", "http://169.254.169.254/latest");
    Response r = node.client.post("/admin/v1/models", metadata);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error().getString("param")).isEqualTo("deployments[0].base_url");
    assertThat(r.error().getString("message")).contains("link-local", "allow_link_local");

    Response imported = node.client.put("/admin/v1/config", "models:\n  - {name: imp-e, deployments: "
        + "[{id: imp-e-a, provider: openai, base_url: \"file:///etc/passwd\"}]}\n");
    assertThat(imported.status()).as(imported.body()).isEqualTo(400);
    assertThat(imported.error().getString("param")).isEqualTo("models[0].deployments[0].base_url");
    assertThat(node.client.get("/admin/v1/models/egress-m").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("api_version and capabilities of a deployment survive the round trip, masked credential included")
  void azureFieldsRoundTrip() {
    JsonObject azure = model("azure-m", "azure-a", "literal-azure-key-0123");
    azure.getJsonArray("deployments").getJsonObject(0).put("provider", "azure-openai")
        .put("base_url", "https://myres.openai.azure.com").put("api_version", "2024-10-21")
        .put("capabilities", new JsonArray().add("chat").add("tools"));
    Response created = node.client.post("/admin/v1/models", azure);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject d = node.client.get("/admin/v1/models/azure-m").json().getJsonArray("deployments").getJsonObject(0);
    assertThat(d.getString("api_key")).isEqualTo(io.tollgate.admin.model.ModelSpecs.MASK);
    assertThat(d.getString("api_version")).isEqualTo("2024-10-21");
    assertThat(d.getJsonArray("capabilities")).containsExactly("chat", "tools");
    assertThat(node.client.delete("/admin/v1/models/azure-m").status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a literal upstream credential is never shown, and sending the mask back keeps it")
  void literalCredentialsAreMasked() {
    String literal = "sk-live-very-secret-123";
    Response created = node.client.post("/admin/v1/models", model("masked-model", "masked-a", literal));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(literal).contains("********");
    Response read = node.client.get("/admin/v1/models/masked-model");
    assertThat(read.body()).doesNotContain(literal);
    assertThat(node.client.get("/admin/v1/config").body()).doesNotContain(literal);

    Response put = node.client.put("/admin/v1/models/masked-model", read.json());
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    String stored = Await.result(node.admin.store().model("masked-model")).deployments().get(0).apiKey();
    assertThat(stored).as("the model keeps a marker; the key is encrypted elsewhere").isEqualTo("secret:masked-a");
    assertThat(Await.result(node.admin.store().secret("masked-a")).secret()).isEqualTo(literal);

    Response noStored = node.client.post("/admin/v1/models", model("masked-new", "masked-new-a", "********"));
    assertThat(noStored.status()).isEqualTo(400);
    assertThat(noStored.error().getString("param")).isEqualTo("deployments[0].api_key");
  }

  @Test
  @DisplayName("invalid models get 400 naming the field; reused names, aliases and deployment ids get 409")
  void modelValidation() {
    JsonObject noProvider = model("bad-model", "bad-a", null);
    noProvider.getJsonArray("deployments").getJsonObject(0).remove("provider");
    Response r1 = node.client.post("/admin/v1/models", noProvider);
    assertThat(r1.status()).isEqualTo(400);
    assertThat(r1.error().getString("param")).isEqualTo("deployments[0].provider");

    JsonObject negative = model("bad-model", "bad-a", null);
    negative.getJsonArray("deployments").getJsonObject(0).put("output_price_per_mtok", -0.5);
    Response r2 = node.client.post("/admin/v1/models", negative);
    assertThat(r2.status()).isEqualTo(400);
    assertThat(r2.error().getString("param")).isEqualTo("deployments[0].output_price_per_mtok");

    JsonObject unknown = model("bad-model", "bad-a", null);
    unknown.getJsonArray("deployments").getJsonObject(0).put("temperature", 1);
    Response r3 = node.client.post("/admin/v1/models", unknown);
    assertThat(r3.status()).isEqualTo(400);
    assertThat(r3.error().getString("param")).isEqualTo("deployments[0].temperature");

    Response policy = node.client.post("/admin/v1/models", model("bad-model", "bad-a", null).put("policy", "round-robin"));
    assertThat(policy.status()).isEqualTo(400);
    assertThat(policy.error().getString("param")).isEqualTo("policy");
    assertThat(policy.error().getString("message")).contains("'round-robin'", "known: priority", "thompson");
    Response imported = node.client.put("/admin/v1/config",
        "models:\n  - {name: imp, policy: roulette, deployments: [{id: imp-a, provider: mock}]}\n");
    assertThat(imported.status()).isEqualTo(400);
    assertThat(imported.error().getString("param")).isEqualTo("models[0].policy");
    JsonObject routing = model("bad-model", "bad-a", null).put("routing", new JsonObject().put("budget_ms", -1));
    assertThat(node.client.post("/admin/v1/models", routing).status()).isEqualTo(400);

    Response r4 = node.client.post("/admin/v1/models", new JsonObject().put("name", "empty"));
    assertThat(r4.status()).isEqualTo(400);
    assertThat(r4.error().getString("param")).isEqualTo("deployments");

    assertThat(node.client.post("/admin/v1/models", model("taken", "taken-a", null)).status()).isEqualTo(201);
    assertThat(node.client.post("/admin/v1/models", model("taken", "taken-b", null)).status()).isEqualTo(409);
    Response sameDeployment = node.client.post("/admin/v1/models", model("other", "taken-a", null));
    assertThat(sameDeployment.status()).isEqualTo(409);
    assertThat(sameDeployment.error().getString("param")).isEqualTo("deployments");
    JsonObject aliasClash = model("other2", "other2-a", null).put("aliases", new JsonArray().add("taken"));
    assertThat(node.client.post("/admin/v1/models", aliasClash).status()).isEqualTo(409);
    assertThat(node.client.put("/admin/v1/models/taken", model("not-taken", "x", null)).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("the YAML export imports back without changing anything, and bootstrap keys store only a hash")
  void yamlRoundTrip() {
    String yaml = """
        models:
          - name: yaml-model
            aliases: [yaml-alias]
            policy: priority
            deployments:
              - id: yaml-a
                provider: mock
                mock: {tokens: 4}
                input_price_per_mtok: 0.15
                output_price_per_mtok: 0.60
              - id: yaml-b
                provider: openai
                base_url: http://127.0.0.1:9/v1
                api_key: ${UPSTREAM_KEY}
                priority: 1
        keys:
          - name: bootstrap
            secret: tg-bootstrap-secret-0123456789
            models: [yaml-model]
            rpm: 60
            budget_usd: {daily: 5.0}
            concurrency: {max_concurrent: 4}
        """;
    Response first = node.client.put("/admin/v1/config", yaml);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().getInteger("models_changed")).isEqualTo(1);
    assertThat(first.json().getInteger("keys_changed")).isEqualTo(1);

    Response again = node.client.put("/admin/v1/config", yaml);
    assertThat(again.json().getInteger("models_changed")).isZero();
    assertThat(again.json().getInteger("keys_changed")).isZero();
    assertThat(again.json().getLong("version")).isEqualTo(first.json().getLong("version"));

    Response export = node.client.get("/admin/v1/config");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.body()).contains("yaml-model").contains("${UPSTREAM_KEY}").doesNotContain("tg-bootstrap");
    Response reimport = node.client.put("/admin/v1/config", export.body());
    assertThat(reimport.status()).as(reimport.body()).isEqualTo(200);
    assertThat(reimport.json().getInteger("models_changed")).as("export -> import changes nothing").isZero();
    assertThat(reimport.json().getLong("version")).isEqualTo(first.json().getLong("version"));

    var keys = Await.result(node.admin.store().keys("default"));
    assertThat(keys).extracting(k -> k.key().name()).contains("bootstrap");
    var bootstrap = keys.stream().filter(k -> k.key().name().equals("bootstrap")).findFirst().orElseThrow().key();
    assertThat(bootstrap.secretHash()).isEqualTo(Secrets.hash("tg-bootstrap-secret-0123456789"));
    assertThat(bootstrap.models()).containsExactly("yaml-model");
    assertThat(bootstrap.limits().rpm()).isEqualTo(60);
    assertThat(bootstrap.limits().concurrency().maxConcurrent()).isEqualTo(4);

    // A bootstrap key disabled through the API stays disabled when the file is imported again.
    assertThat(node.client.patch("/admin/v1/keys/" + bootstrap.id(), new JsonObject().put("enabled", false)).status())
        .isEqualTo(200);
    Response afterDisable = node.client.put("/admin/v1/config", yaml);
    assertThat(afterDisable.json().getInteger("keys_changed")).isZero();
    assertThat(node.client.get("/admin/v1/keys/" + bootstrap.id()).json().getBoolean("enabled")).isFalse();
    Response newSecret = node.client.put("/admin/v1/config", yaml.replace("0123456789", "9876543210"));
    assertThat(newSecret.json().getInteger("keys_changed")).isEqualTo(1);
    assertThat(Await.result(node.admin.store().key(bootstrap.id())).key().secretHash())
        .isEqualTo(Secrets.hash("tg-bootstrap-secret-9876543210"));

    Response bad = node.client.put("/admin/v1/config", "models:\n  - name: broken\n    deployments: [{id: z}]\n");
    assertThat(bad.status()).isEqualTo(400);
    Response malformed = node.client.put("/admin/v1/config", "models: [\n");
    assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
    assertThat(malformed.error().getString("code")).as(malformed.body()).isNotNull();
    assertThat(malformed.error().getString("code")).as(malformed.body()).isEqualTo("invalid_json");
  }
}
