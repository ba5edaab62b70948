package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.FeedWatch;
import io.tollgate.admin.support.TestPostgres;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.codec.Wire;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.SecretReply;
import io.tollgate.api.config.SecretRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Admin: literal upstream keys are stored encrypted and never published; global limits are config")
class SecretsAndLimitsTest {

  static final String LITERAL = "sk-live-do-not-broadcast-0042";

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
    return new JsonObject().put("name", name).put("deployments", new JsonArray().add(new JsonObject()
        .put("id", deploymentId).put("provider", "openai").put("base_url", "http://127.0.0.1:9/v1").put("api_key", apiKey)));
  }

  @Test
  @DisplayName("a literal key is ciphertext in Postgres, absent from snapshots, and handed only to a secret request")
  void literalIsEncrypted() {
    Response created = node.client.post("/admin/v1/models", model("enc-model", "enc-a", LITERAL));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    RowSet<Row> rows = Await.result(node.admin.store().sqlPool()
        .preparedQuery("SELECT nonce, ciphertext FROM deployment_secrets WHERE deployment_id = $1")
        .execute(Tuple.of("enc-a")));
    assertThat(rows.size()).isEqualTo(1);
    Row row = rows.iterator().next();
    assertThat(row.getBuffer("nonce").length()).isEqualTo(SecretBox.NONCE_BYTES);
    byte[] ciphertext = row.getBuffer("ciphertext").getBytes();
    assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain(LITERAL).doesNotContain("sk-live");
    String spec = Await.result(node.admin.store().sqlPool()
        .preparedQuery("SELECT spec::text FROM models WHERE name = $1").execute(Tuple.of("enc-model")))
        .iterator().next().getString(0);
    assertThat(spec).doesNotContain(LITERAL).contains("secret:enc-a");

    ConfigSnapshot snapshot = Await.result(node.vertx.eventBus().<ConfigSnapshot>request(ConfigAddresses.SNAPSHOT,
        null)).body();
    assertThat(wire(snapshot)).doesNotContain(LITERAL).contains("secret:enc-a");

    SecretReply reply = Await.result(node.vertx.eventBus().<SecretReply>request(ConfigAddresses.SECRET,
        new SecretRequest("enc-a"))).body();
    assertThat(reply.secret()).isEqualTo(LITERAL);
    ReplyException unknown = (ReplyException) Await.failure(node.vertx.eventBus().request(ConfigAddresses.SECRET,
        new SecretRequest("no-such-deployment")));
    assertThat(unknown.failureCode()).isEqualTo(ErrorCode.UPSTREAM_AUTH.wire());

    // Deleting the model drops its ciphertext too.
    assertThat(node.client.delete("/admin/v1/models/enc-model").status()).isEqualTo(204);
    assertThat(Await.result(node.admin.store().sqlPool().query("SELECT count(*) FROM deployment_secrets "
        + "WHERE deployment_id = 'enc-a'").execute()).iterator().next().getLong(0)).isZero();
  }

  static final String SA_KEY = "{\"type\":\"service_account\",\"client_email\":\"gw@p1.iam.gserviceaccount.com\","
      + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"}";

  @Test
  @DisplayName("a Vertex service-account key and an Entra ID client secret are stored like keys: encrypted, masked, never in a snapshot; the other new fields round-trip")
  void providerSecrets() {
    JsonObject model = new JsonObject().put("name", "cloud-model").put("deployments", new JsonArray()
        .add(new JsonObject().put("id", "vx-a").put("provider", "vertex").put("api_key", SA_KEY)
            .put("project", "p1").put("location", "europe-west4").put("upstream_model", "gemini-2.5-flash"))
        .add(new JsonObject().put("id", "az-a").put("provider", "azure-openai")
            .put("base_url", "https://r.openai.azure.com").put("api_key", "entra-client-secret-77")
            .put("tenant_id", "t1").put("client_id", "c1").put("api_version", "2024-10-21"))
        .add(new JsonObject().put("id", "or-a").put("provider", "openai").put("preset", "openrouter")
            .put("api_key", "${OPENROUTER_KEY}").put("headers", new JsonObject().put("HTTP-Referer", "https://app.example"))));

    Response created = node.client.post("/admin/v1/models", model);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("PRIVATE KEY").doesNotContain("entra-client-secret");

    JsonArray shown = node.client.get("/admin/v1/models/cloud-model").json().getJsonArray("deployments");
    assertThat(shown.getJsonObject(0).getString("api_key")).isEqualTo("********");
    assertThat(shown.getJsonObject(0).getString("location")).isEqualTo("europe-west4");
    assertThat(shown.getJsonObject(1).getString("api_key")).isEqualTo("********");
    assertThat(shown.getJsonObject(1).getString("tenant_id")).isEqualTo("t1");
    assertThat(shown.getJsonObject(2).getString("base_url")).as("the preset's default").isEqualTo("https://openrouter.ai/api/v1");
    assertThat(shown.getJsonObject(2).getJsonObject("headers").getString("HTTP-Referer")).isEqualTo("https://app.example");

    ConfigSnapshot snapshot = Await.result(node.vertx.eventBus().<ConfigSnapshot>request(ConfigAddresses.SNAPSHOT,
        null)).body();
    assertThat(wire(snapshot)).doesNotContain("PRIVATE KEY").doesNotContain("entra-client-secret")
        .contains("secret:vx-a").contains("secret:az-a");
    assertThat(Await.result(node.vertx.eventBus().<SecretReply>request(ConfigAddresses.SECRET,
        new SecretRequest("vx-a"))).body().secret()).isEqualTo(SA_KEY);

    // The masked form sent back keeps both secrets (an edit in the console).
    assertThat(node.client.put("/admin/v1/models/cloud-model", node.client.get("/admin/v1/models/cloud-model").json())
        .status()).isEqualTo(200);
    assertThat(Await.result(node.vertx.eventBus().<SecretReply>request(ConfigAddresses.SECRET,
        new SecretRequest("az-a"))).body().secret()).isEqualTo("entra-client-secret-77");
  }

  @Test
  @DisplayName("an unknown preset, a preset on another provider and a header with a line break are 400s naming the deployment")
  void providerFieldErrors() {
    JsonObject unknown = model("bad-1", "bad-a", "${K}");
    unknown.getJsonArray("deployments").getJsonObject(0).put("preset", "llamafile");
    Response r1 = node.client.post("/admin/v1/models", unknown);
    assertThat(r1.status()).isEqualTo(400);
    assertThat(r1.error().getString("param")).startsWith("deployments[0]");

    JsonObject wrongProvider = model("bad-2", "bad-b", "${K}");
    wrongProvider.getJsonArray("deployments").getJsonObject(0).put("provider", "gemini").put("preset", "vllm");
    Response r2 = node.client.post("/admin/v1/models", wrongProvider);
    assertThat(r2.status()).isEqualTo(400);
    assertThat(r2.error().getString("message")).contains("preset applies to provider openai");

    JsonObject badHeader = model("bad-3", "bad-c", "${K}");
    badHeader.getJsonArray("deployments").getJsonObject(0).put("headers", new JsonObject().put("X-A", "v\r\nX-B: 1"));
    Response r3 = node.client.post("/admin/v1/models", badHeader);
    assertThat(r3.status()).isEqualTo(400);
    assertThat(r3.error().getString("message")).contains("X-A must be one line");
  }

  @Test
  @DisplayName("a new literal for the same deployment takes a new version (connectors drop their cached key)")
  void changedLiteralIsAChange() {
    Response first = node.client.post("/admin/v1/models", model("rot-model", "rot-a", LITERAL));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    long before = Await.result(node.admin.store().version());
    assertThat(node.client.put("/admin/v1/models/rot-model", model("rot-model", "rot-a", LITERAL)).status())
        .isEqualTo(200);
    assertThat(Await.result(node.admin.store().version())).as("same key: no change").isEqualTo(before);

    assertThat(node.client.put("/admin/v1/models/rot-model", model("rot-model", "rot-a", "sk-rotated-1")).status())
        .isEqualTo(200);

    assertThat(Await.result(node.admin.store().version())).isEqualTo(before + 1);
    assertThat(Await.result(node.admin.store().secret("rot-a")).secret()).isEqualTo("sk-rotated-1");
  }

  @Test
  @DisplayName("without TOLLGATE_SECRETS_KEY a literal is a 400 naming the field and saying how to fix it")
  void refusedWithoutKey() {
    try (AdminNode keyless = AdminNode.start(pg.uri())) {
      Response api = keyless.client.post("/admin/v1/models", model("keyless", "keyless-a", LITERAL));
      assertThat(api.status()).isEqualTo(400);
      assertThat(api.error().getString("param")).isEqualTo("deployments[0].api_key");
      assertThat(api.error().getString("message")).contains("TOLLGATE_SECRETS_KEY").contains("${ENV_VAR}")
          .contains("file:/path").doesNotContain(LITERAL);

      Response yaml = keyless.client.put("/admin/v1/config", """
          models:
            - name: keyless-yaml
              deployments:
                - id: ky-a
                  provider: openai
                  api_key: ${OK_KEY}
                - id: ky-b
                  provider: openai
                  api_key: %s
          """.formatted(LITERAL));
      assertThat(yaml.status()).isEqualTo(400);
      assertThat(yaml.error().getString("param")).isEqualTo("models[0].deployments[1].api_key");
      assertThat(keyless.client.get("/admin/v1/models/keyless-yaml").status()).as("nothing was imported")
          .isEqualTo(404);

      Response badRef = keyless.client.post("/admin/v1/models", model("keyless", "keyless-a", "file:relative"));
      assertThat(badRef.status()).isEqualTo(400);
      assertThat(badRef.error().getString("message")).contains("absolute path");

      Response fileRef = keyless.client.post("/admin/v1/models", model("keyless", "keyless-a", "file:/run/secrets/k"));
      assertThat(fileRef.status()).as(fileRef.body()).isEqualTo(201);
      assertThat(fileRef.json().getJsonArray("deployments").getJsonObject(0).getString("api_key"))
          .isEqualTo("file:/run/secrets/k");
    }
  }

  @Test
  @DisplayName("global limits are set by PUT /admin/v1/limits and by the config import, and reach every feed")
  void limits() {
    ConfigFeed feed = new ConfigFeed(node.vertx);
    Await.result(feed.start());
    Await.result(feed.whenReady());

    Response put = node.client.put("/admin/v1/limits", new JsonObject().put("rpm", 7).put("fail_closed", true));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(node.client.get("/admin/v1/limits").json().getInteger("rpm")).isEqualTo(7);
    assertThat(Await.result(FeedWatch.until(feed, i -> i.limits().rpm() != null && i.limits().rpm() == 7))
        .limits().failClosed()).isTrue();

    assertThat(node.client.put("/admin/v1/config", "limits: {rpm: 9, tpm: 1000}\n").status()).isEqualTo(200);
    assertThat(Await.result(FeedWatch.until(feed, i -> i.limits().rpm() != null && i.limits().rpm() == 9))
        .limits().tpm()).isEqualTo(1000);
    long version = Await.result(node.admin.store().version());
    assertThat(node.client.put("/admin/v1/config", "models: []\n").status()).isEqualTo(200);
    assertThat(Await.result(node.admin.store().version())).as("a file without limits keeps them").isEqualTo(version);

    Response negative = node.client.put("/admin/v1/limits", new JsonObject().put("rpm", -1));
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.error().getString("param")).isEqualTo("rpm");
    Response unknown = node.client.put("/admin/v1/limits", new JsonObject().put("rps", 1));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("param")).isEqualTo("rps");

    assertThat(node.client.put("/admin/v1/limits", new JsonObject()).status()).isEqualTo(200);
    assertThat(Await.result(FeedWatch.until(feed, i -> i.limits().rpm() == null)).limits().tpm()).isNull();
    Await.result(feed.close());
  }

  private static String wire(Object value) {
    try {
      return Buffer.buffer(Wire.MAPPER.writeValueAsBytes(value)).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
