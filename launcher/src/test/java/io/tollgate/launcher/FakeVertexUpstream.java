package io.tollgate.launcher;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback Vertex AI: {@code POST /token} is Google's OAuth2 token endpoint (the JWT bearer
 * grant, its RS256 signature verified with the service account's public key), and
 * {@code /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent?alt=sse}
 * answers as {@link FakeGeminiUpstream} does, but only with a token it issued (else 401
 * {@code UNAUTHENTICATED}, as Vertex answers).
 */
final class FakeVertexUpstream {

  record Received(String path, String query, MultiMap headers, JsonObject body) {
  }

  static final String CLIENT_EMAIL = "gateway@proj-1.iam.gserviceaccount.com";

  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger tokensIssued = new AtomicInteger();
  private final KeyPair keys;
  private HttpServer server;

  private FakeVertexUpstream(KeyPair keys) {
    this.keys = keys;
  }

  static FakeVertexUpstream start(Vertx vertx) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    FakeVertexUpstream fake = new FakeVertexUpstream(g.generateKeyPair());
    fake.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(fake::handle);
    fake.server.listen().await();
    return fake;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Writes a service-account key file for this server (token_uri pointing here) into {@code dir}. */
  Path writeKeyFile(Path dir) throws Exception {
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    Path file = dir.resolve("vertex-sa.json");
    Files.writeString(file, new JsonObject().put("type", "service_account").put("project_id", "proj-1")
        .put("private_key_id", "k1").put("private_key", pem).put("client_email", CLIENT_EMAIL)
        .put("token_uri", baseUrl() + "/token").encodePrettily());
    return file;
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals("/token")) {
      req.setExpectMultipart(true);
      req.end().onSuccess(v -> token(req));
      return;
    }
    req.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      received.add(new Received(req.path(), req.query(), req.headers(), body));
      String auth = req.getHeader("authorization");
      if (auth == null || !auth.matches("Bearer ya29\\.test-[0-9]+")) {
        req.response().setStatusCode(401).putHeader("content-type", "application/json").end(new JsonObject()
            .put("error", new JsonObject().put("code", 401).put("status", "UNAUTHENTICATED")
                .put("message", "Request had invalid authentication credentials.")).encode());
        return;
      }
      if (req.path().endsWith(":predict")) {
        req.response().putHeader("content-type", "application/json").end(predict(body).toBuffer());
        return;
      }
      var response = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      for (JsonObject event : FakeGeminiUpstream.answer(body)) {
        response.write("data: " + event.encode() + "\r\n\r\n");
      }
      response.end();
    });
  }

  /**
   * Vertex's text-embedding {@code :predict}: per instance {@code embeddings.values} (as
   * {@link FakeEmbeddingsUpstream#vector}) and {@code statistics.token_count}, here the content's
   * length in characters, so a test can tell it from the gateway's estimate.
   */
  static JsonObject predict(JsonObject body) {
    JsonObject parameters = body.getJsonObject("parameters");
    int dims = parameters == null ? FakeEmbeddingsUpstream.DEFAULT_DIMENSIONS
        : parameters.getInteger("outputDimensionality", FakeEmbeddingsUpstream.DEFAULT_DIMENSIONS);
    io.vertx.core.json.JsonArray predictions = new io.vertx.core.json.JsonArray();
    for (Object o : body.getJsonArray("instances")) {
      String content = ((JsonObject) o).getString("content");
      io.vertx.core.json.JsonArray values = new io.vertx.core.json.JsonArray();
      for (float f : FakeEmbeddingsUpstream.vector(content, dims)) {
        values.add(f);
      }
      predictions.add(new JsonObject().put("embeddings", new JsonObject().put("values", values)
          .put("statistics", new JsonObject().put("truncated", false).put("token_count", content.length()))));
    }
    return new JsonObject().put("predictions", predictions)
        .put("metadata", new JsonObject().put("billableCharacterCount", 0));
  }

  private void token(HttpServerRequest req) {
    String[] jwt = String.valueOf(req.getFormAttribute("assertion")).split("\\.");
    boolean ok = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(req.getFormAttribute("grant_type"))
        && jwt.length == 3 && verifies(jwt)
        && CLIENT_EMAIL.equals(new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[1]),
            StandardCharsets.UTF_8)).getString("iss"));
    if (!ok) {
      req.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
      return;
    }
    req.response().putHeader("content-type", "application/json").end(new JsonObject()
        .put("access_token", "ya29.test-" + tokensIssued.incrementAndGet()).put("expires_in", 3599)
        .put("token_type", "Bearer").encode());
  }

  private boolean verifies(String[] jwt) {
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(keys.getPublic());
      rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      return rsa.verify(Base64.getUrlDecoder().decode(jwt[2]));
    } catch (Exception e) {
      return false;
    }
  }
}
