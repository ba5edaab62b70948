package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs the parsers accept but the database cannot store: found while fuzzing the admin bodies. */
@DisplayName("Admin API: values the database cannot store are a 400, not a 500")
class BadInputTest {

  @TempDir
  static Path dataDir;
  static TestPostgres pg;
  static AdminNode node;

  @BeforeAll
  static void start() {
    pg = TestPostgres.start(dataDir);
    node = AdminNode.start(pg.uri());
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

  private static void assertBadRequest(Response r, String param) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error().getString("code")).isEqualTo("invalid_request");
    assertThat(r.error().getString("param")).isEqualTo(param);
  }

  @Test
  @DisplayName("a tenant name with U+0000 (legal JSON, not storable in PostgreSQL) is refused, naming the field")
  void nulInTenantName() {
    Response r = node.client.post("/admin/v1/tenants", "{\"name\":\"team\\u0000a\"}");
    assertBadRequest(r, "name");
    assertThat(r.error().getString("message")).contains("U+0000");
  }

  @Test
  @DisplayName("U+0000 anywhere in a model body is refused, naming the field")
  void nulInModel() {
    JsonObject model = new JsonObject().put("name", "nul-model").put("deployments", new JsonArray()
        .add(new JsonObject().put("id", "nul-d").put("provider", "openai").put("base_url", "http://127.0.0.1:9/\u0000")));
    assertBadRequest(node.client.post("/admin/v1/models", model), "deployments[0].base_url");
    assertThat(node.client.get("/admin/v1/models/nul-model").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a capability word that names nothing is a 400 naming deployments[i].capabilities[j], in a model and in an import")
  void unknownCapability() {
    JsonObject model = new JsonObject().put("name", "cap-model").put("deployments", new JsonArray()
        .add(new JsonObject().put("id", "cap-d").put("provider", "openai")
            .put("capabilities", new JsonArray().add("chat").add("tool"))));
    Response r = node.client.post("/admin/v1/models", model);
    assertBadRequest(r, "deployments[0].capabilities[1]");
    assertThat(r.error().getString("message")).contains("'tool' is not a capability").contains("tools");
    assertThat(node.client.get("/admin/v1/models/cap-model").status()).isEqualTo(404);
    model.getJsonArray("deployments").getJsonObject(0).put("capabilities", new JsonArray());
    assertBadRequest(node.client.post("/admin/v1/models", model), "deployments[0].capabilities");
    assertBadRequest(node.client.put("/admin/v1/config", "models:\n  - {name: cap-import, deployments: "
        + "[{id: ci, provider: mock, capabilities: [chat, vison]}]}\n"), "models[0].deployments[0].capabilities[1]");
    model.getJsonArray("deployments").getJsonObject(0).put("capabilities", new JsonArray().add("chat").add("tools"));
    assertThat(node.client.post("/admin/v1/models", model).status()).isEqualTo(201);
    assertThat(node.client.get("/admin/v1/models/cap-model").body()).contains("\"capabilities\":[\"chat\",\"tools\"]");
  }

  @Test
  @DisplayName("U+0000 in an imported config file (YAML \\0) is refused and nothing is imported")
  void nulInConfigImport() {
    Response r = node.client.put("/admin/v1/config", "keys:\n  - {name: \"boot\\0strap\", secret: s3cret}\n");
    assertBadRequest(r, "keys[0].name");
    assertThat(node.client.get("/admin/v1/keys").body()).doesNotContain("strap");
  }

  @Test
  @DisplayName("a tenant name too long for its unique index is a 400 from the database, not a 500")
  void nameTooLongToIndex() {
    byte[] random = new byte[7_500];
    new SecureRandom().nextBytes(random);
    String name = Base64.getEncoder().encodeToString(random);
    Response r = node.client.post("/admin/v1/tenants", new JsonObject().put("name", name));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error().getString("code")).isEqualTo("invalid_request");
    assertThat(r.error().getString("message")).contains("the database cannot store a value");
  }

  @Test
  @DisplayName("a body that looks like UTF-32 but holds no valid character is invalid JSON, not a 500")
  void invalidUtf32() {
    // 00 00 00 7B makes Jackson read UTF-32BE; 0x11000000 is above U+10FFFF.
    String body = "\u0000\u0000\u0000{\u0011\u0000\u0000\u0000";
    for (String path : new String[] {"/admin/v1/tenants", "/admin/v1/models"}) {
      Response r = node.client.post(path, body);
      assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(400);
      assertThat(r.error().getString("code")).isEqualTo("invalid_json");
    }
  }

  @Test
  @DisplayName("a number whose exponent overflows (1e9999999999) is invalid JSON, not a 500")
  void exponentOverflow() {
    Response tenant = node.client.post("/admin/v1/tenants",
        "{\"name\":\"big\",\"limits\":{\"budget_usd\":{\"total\":1e9999999999}}}");
    assertThat(tenant.status()).as(tenant.body()).isEqualTo(400);
    assertThat(tenant.error().getString("code")).isEqualTo("invalid_json");

    Response config = node.client.put("/admin/v1/config", "keys:\n  - {name: big, secret: s, budget_usd: {total: 1e9999999999}}\n");
    assertThat(config.status()).as(config.body()).isEqualTo(400);
    assertThat(config.error().getString("code")).isIn("invalid_json", "invalid_request");
  }
}
