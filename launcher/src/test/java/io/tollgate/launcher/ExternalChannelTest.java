package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("External channel: signed requests through two clustered edge nodes")
class ExternalChannelTest {

  private static final String CHAT = "{\"model\":\"mock-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String BROKEN = "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static EmbeddedRedisServer redis;
  private static EmbeddedPg postgres;
  private static Tollgate adminNode;
  private static Tollgate edgeA;
  private static Tollgate edgeB;

  @BeforeAll
  static void cluster() {
    Path config = TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 4}}
          - name: broken
            deployments:
              - {id: broken-secret-deployment, provider: mock, mock: {tokens: 4, failure_rate: 1.0}}
        """);
    String cluster = TestGateway.uniqueClusterName();
    redis = EmbeddedRedisServer.start();
    postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    Map<String, String> adminEnv = new HashMap<>(TestGateway.ENV);
    adminEnv.put("TOLLGATE_SECRETS_KEY", SecretBox.generateKey());
    adminNode = TestGateway.start(config, Set.of(Role.ADMIN, Role.ROUTER, Role.CONNECTOR), true, cluster, null,
        postgres.uri(), TestGateway.freshDataDir(), adminEnv);
    edgeA = TestGateway.start(null, Set.of(Role.EDGE), true, cluster, redis.url());
    edgeB = TestGateway.start(null, Set.of(Role.EDGE), true, cluster, redis.url());
    assertThat(TestGateway.awaitReady(edgeA)).isEqualTo(200);
    assertThat(TestGateway.awaitReady(edgeB)).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    for (Tollgate node : new Tollgate[] {edgeB, edgeA, adminNode}) {
      if (node != null) {
        node.close().await();
      }
    }
    if (redis != null) {
      redis.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private record Partner(String id, String key, String secret) {
  }

  private static Partner externalKey(String name) {
    TestGateway.AdminResponse created = TestGateway.admin(adminNode, "POST", "/admin/v1/keys",
        new JsonObject().put("tenant_id", "default").put("name", name).put("channel", "external"));
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
    assertThat(created.body().getString("channel")).isEqualTo("external");
    assertThat(created.body().getString("signing_secret")).startsWith("tgs-");
    Partner p = new Partner(created.body().getString("id"), created.body().getString("key"),
        created.body().getString("signing_secret"));
    // The edges learn of the key through the config feed: wait until both take it.
    await(() -> SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT)).status() == 200
        && SignedClient.send(edgeB.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT)).status() == 200);
    return p;
  }

  @Test
  @DisplayName("a properly signed request is answered, without gateway headers; the signing secret is shown "
      + "once and never in the admin API's reads")
  void goodRequest() {
    Partner p = externalKey("partner-good");
    SignedClient.Answer ok = SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getJsonArray("choices")).hasSize(1);
    assertThat(ok.raw().headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-tollgate-"));
    SignedClient.Answer models = SignedClient.send(edgeB.httpPort(), p.key(), p.secret(),
        new SignedClient.Signed("GET", "/v1/models", SignedClient.now(), SignedClient.nonce(), "", ""));
    assertThat(models.status()).isEqualTo(200);

    // An internal key on the same edge still sees the gateway's headers: sanitizing is per channel.
    SignedClient.Answer internal = SignedClient.plain(edgeA.httpPort(), TestGateway.KEY, "/v1/chat/completions",
        CHAT);
    assertThat(internal.status()).isEqualTo(200);
    assertThat(internal.raw().headers().firstValue("x-tollgate-route")).hasValue("mock-1");

    TestGateway.AdminResponse read = TestGateway.admin(adminNode, "GET", "/admin/v1/keys/" + p.id(), null);
    assertThat(read.body().getString("channel")).isEqualTo("external");
    assertThat(read.body().containsKey("signing_secret")).isFalse();
    assertThat(read.body().encode()).doesNotContain(p.secret());
    assertThat(TestGateway.admin(adminNode, "GET", "/admin/v1/keys", null).body().encode())
        .doesNotContain(p.secret());
    assertThat(TestGateway.admin(adminNode, "GET", "/admin/openapi.json", null).body().encode())
        .doesNotContain("tgs-A");
  }

  @Test
  @DisplayName("unsigned, stale, tampered and wrongly keyed requests are refused with their own 401 codes")
  void refusals() {
    Partner p = externalKey("partner-refusals");
    int port = edgeA.httpPort();
    SignedClient.Answer unsigned = SignedClient.plain(port, p.key(), "/v1/chat/completions", CHAT);
    assertThat(unsigned.status()).isEqualTo(401);
    assertThat(unsigned.code()).isEqualTo("signature_missing");

    SignedClient.Answer stale = SignedClient.send(port, p.key(), p.secret(), new SignedClient.Signed("POST",
        "/v1/chat/completions", SignedClient.now() - 301, SignedClient.nonce(), CHAT, CHAT));
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.code()).isEqualTo("timestamp_out_of_window");
    SignedClient.Answer future = SignedClient.send(port, p.key(), p.secret(), new SignedClient.Signed("POST",
        "/v1/chat/completions", SignedClient.now() + 301, SignedClient.nonce(), CHAT, CHAT));
    assertThat(future.code()).isEqualTo("timestamp_out_of_window");

    String other = CHAT.replace("hi", "transfer everything");
    SignedClient.Answer tampered = SignedClient.send(port, p.key(), p.secret(), new SignedClient.Signed("POST",
        "/v1/chat/completions", SignedClient.now(), SignedClient.nonce(), CHAT, other));
    assertThat(tampered.status()).isEqualTo(401);
    assertThat(tampered.code()).isEqualTo("signature_invalid");

    SignedClient.Answer wrong = SignedClient.send(port, p.key(), "tgs-not-the-secret", SignedClient.chat(CHAT));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("signature_invalid");

    SignedClient.Answer shortNonce = SignedClient.send(port, p.key(), p.secret(), new SignedClient.Signed("POST",
        "/v1/chat/completions", SignedClient.now(), "short", CHAT, CHAT));
    assertThat(shortNonce.code()).isEqualTo("signature_missing");
  }

  @Test
  @DisplayName("a replayed request is refused on the node that saw it and on the other clustered edge node")
  void replayAcrossNodes() {
    Partner p = externalKey("partner-replay");
    SignedClient.Signed once = SignedClient.chat(CHAT);
    assertThat(SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), once).status()).isEqualTo(200);
    SignedClient.Answer again = SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), once);
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.code()).isEqualTo("nonce_reused");
    SignedClient.Answer elsewhere = SignedClient.send(edgeB.httpPort(), p.key(), p.secret(), once);
    assertThat(elsewhere.status()).isEqualTo(401);
    assertThat(elsewhere.code()).isEqualTo("nonce_reused");
    // A forged request cannot burn a nonce: the nonce is only recorded once the signature holds.
    SignedClient.Signed fresh = SignedClient.chat(CHAT);
    assertThat(SignedClient.send(edgeB.httpPort(), p.key(), "tgs-forged", fresh).code()).isEqualTo("signature_invalid");
    assertThat(SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), fresh).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("five bad signatures freeze the key on every edge (403 key_frozen) until an admin unfreezes it")
  void freezeAndUnfreeze() {
    Partner p = externalKey("partner-freeze");
    for (int i = 0; i < 5; i++) {
      Tollgate edge = i % 2 == 0 ? edgeA : edgeB;
      SignedClient.Answer bad = SignedClient.send(edge.httpPort(), p.key(), "tgs-guess-" + i, SignedClient.chat(CHAT));
      assertThat(bad.code()).as("attempt " + i).isEqualTo("signature_invalid");
    }
    for (Tollgate edge : new Tollgate[] {edgeA, edgeB}) {
      SignedClient.Answer frozen = SignedClient.send(edge.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT));
      assertThat(frozen.status()).isEqualTo(403);
      assertThat(frozen.code()).isEqualTo("key_frozen");
    }
    assertThat(TestGateway.admin(adminNode, "GET", "/admin/v1/keys/" + p.id(), null).body().getBoolean("frozen"))
        .isTrue();
    // The config event reaches both edges: refused there before any signature work.
    await(() -> SignedClient.plain(edgeB.httpPort(), p.key(), "/v1/chat/completions", CHAT).status() == 403);

    TestGateway.AdminResponse unfrozen = TestGateway.admin(adminNode, "POST", "/admin/v1/keys/" + p.id()
        + "/unfreeze", null);
    assertThat(unfrozen.status()).isEqualTo(200);
    assertThat(unfrozen.body().getBoolean("frozen")).isFalse();
    await(() -> SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT)).status() == 200
        && SignedClient.send(edgeB.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT)).status() == 200);
    // Failures before the unfreeze no longer count: one more bad signature does not freeze it again.
    assertThat(SignedClient.send(edgeA.httpPort(), p.key(), "tgs-late", SignedClient.chat(CHAT)).code())
        .isEqualTo("signature_invalid");
    assertThat(SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT)).status())
        .isEqualTo(200);
    // The audit log says who froze it (the gateway, with the failures) and who unfroze it (an admin).
    io.vertx.core.json.JsonArray records = TestGateway.admin(adminNode, "GET", "/admin/v1/audit?kind=admin&limit=1000",
        null).body().getJsonArray("data");
    java.util.List<io.vertx.core.json.JsonObject> mine = new java.util.ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      io.vertx.core.json.JsonObject r = records.getJsonObject(i);
      if (p.id().equals(r.getString("target_id")) && r.getString("action").contains("freeze")) {
        mine.add(r);
      }
    }
    assertThat(mine).extracting(r -> r.getString("action")).containsExactlyInAnyOrder("key.freeze", "key.unfreeze");
    io.vertx.core.json.JsonObject freeze = mine.stream().filter(r -> r.getString("action").equals("key.freeze"))
        .findFirst().orElseThrow();
    assertThat(freeze.getString("actor")).isEqualTo("gateway");
    assertThat(freeze.getJsonObject("after").getInteger("failures")).isEqualTo(5);
  }

  @Test
  @DisplayName("an upstream failure reaches an external key as a generic message without the failover trace")
  void sanitizedErrors() {
    Partner p = externalKey("partner-errors");
    SignedClient.Answer internal = SignedClient.plain(edgeA.httpPort(), TestGateway.KEY, "/v1/chat/completions",
        BROKEN);
    assertThat(internal.status()).isGreaterThanOrEqualTo(500);
    assertThat(internal.raw().body()).contains("broken-secret-deployment");

    SignedClient.Answer external = SignedClient.send(edgeA.httpPort(), p.key(), p.secret(),
        SignedClient.chat(BROKEN));
    assertThat(external.status()).isEqualTo(internal.status());
    assertThat(external.code()).isEqualTo(internal.code());
    assertThat(external.raw().body()).doesNotContain("broken-secret-deployment").doesNotContain("attempts");
    assertThat(external.raw().headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-tollgate-"));
  }

  @Test
  @DisplayName("rotating an external key issues a new signing secret; the old one no longer verifies")
  void rotation() {
    Partner p = externalKey("partner-rotate");
    TestGateway.AdminResponse rotated = TestGateway.admin(adminNode, "POST", "/admin/v1/keys/" + p.id() + "/rotate",
        null);
    assertThat(rotated.status()).isEqualTo(200);
    String key = rotated.body().getString("key");
    String secret = rotated.body().getString("signing_secret");
    assertThat(secret).startsWith("tgs-").isNotEqualTo(p.secret());
    await(() -> SignedClient.send(edgeA.httpPort(), key, secret, SignedClient.chat(CHAT)).status() == 200);
    assertThat(SignedClient.send(edgeA.httpPort(), key, p.secret(), SignedClient.chat(CHAT)).code())
        .isEqualTo("signature_invalid");
  }

  @Test
  @DisplayName("a file upload from an external key is refused with 400 before any signature work, so it never "
      + "counts towards a freeze")
  void uploadRefused() throws Exception {
    Partner p = externalKey("partner-upload");
    String boundary = "tollgate-test-boundary";
    String multipart = "--" + boundary + "\r\ncontent-disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
        + boundary + "\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n"
        + "content-type: application/jsonl\r\n\r\n{}\r\n--" + boundary + "--\r\n";
    for (int i = 0; i < 6; i++) {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + edgeA.httpPort() + "/v1/files"))
              .header("authorization", "Bearer " + p.key())
              .header("content-type", "multipart/form-data; boundary=" + boundary)
              .header("x-tollgate-timestamp", Long.toString(SignedClient.now()))
              .header("x-tollgate-nonce", SignedClient.nonce()).header("x-tollgate-signature", "00")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(multipart)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("invalid_request");
    }
    assertThat(SignedClient.send(edgeA.httpPort(), p.key(), p.secret(), SignedClient.chat(CHAT)).status())
        .isEqualTo(200);
  }

  /** Polls {@code condition} for up to 5 s (config events crossing the cluster). */
  private static void await(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
