package io.tollgate.connector.oauth;

import io.tollgate.connector.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OAuth2 token endpoint speaking both grants the connectors use, as Google and
 * Microsoft document them: the JWT bearer grant ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer},
 * the assertion's RS256 signature verified with the service account's public key, its claims
 * checked) and the client-credentials grant (client id, secret and scope checked). Tokens are
 * {@code tok-1}, {@code tok-2} ... so a test sees which fetch a call used. Anything wrong is a 400
 * or 401 with OAuth2's {@code error} codes.
 */
public final class FakeTokenServer {

  /** One token request as received: the form fields and, for a JWT grant, the verified claims. */
  public record Grant(MultiMap form, JsonObject jwtHeader, JsonObject claims) {
  }

  public static final String CLIENT_EMAIL = "tollgate-test@proj-1.iam.gserviceaccount.com";
  public static final String CLIENT_ID = "5f1e0c1a-client";
  public static final String CLIENT_SECRET = "entra-secret-value-1234";

  private final KeyPair keys;
  private final List<Grant> grants = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile long expiresIn = 3600;
  private volatile int failStatus;
  private HttpServer server;

  private FakeTokenServer(KeyPair keys) {
    this.keys = keys;
  }

  public static FakeTokenServer start(Vertx vertx) {
    FakeTokenServer s = new FakeTokenServer(rsa());
    s.server = Await.await(vertx.createHttpServer().requestHandler(s::handle).listen(0, "127.0.0.1"));
    return s;
  }

  public String tokenUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/token";
  }

  /** A service-account key file for this server's key pair, its token_uri pointing here. */
  public String serviceAccountJson(String projectId) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    JsonObject key = new JsonObject().put("type", "service_account").put("private_key_id", "kid-1")
        .put("private_key", pem).put("client_email", CLIENT_EMAIL).put("client_id", "1234567890")
        .put("token_uri", tokenUrl());
    if (projectId != null) {
      key.put("project_id", projectId);
    }
    return key.encodePrettily();
  }

  /** The lifetime of tokens issued from now on. */
  public void expiresIn(long seconds) {
    this.expiresIn = seconds;
  }

  /** Answer every request with this status and {@code invalid_grant} (0: answer normally). */
  public void failWith(int status) {
    this.failStatus = status;
  }

  public List<Grant> grants() {
    return grants;
  }

  public int issued() {
    return issued.get();
  }

  private void handle(HttpServerRequest req) {
    req.setExpectMultipart(true);
    req.end().onComplete(ar -> {
      MultiMap form = req.formAttributes();
      if (!"application/x-www-form-urlencoded".equals(req.getHeader("content-type"))) {
        error(req, 400, "invalid_request");
        return;
      }
      if (failStatus != 0) {
        error(req, failStatus, failStatus == 401 ? "invalid_client" : "invalid_grant");
        return;
      }
      Grant grant;
      if ("urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
        grant = jwt(form);
      } else if ("client_credentials".equals(form.get("grant_type"))) {
        grant = CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"))
            ? new Grant(form, null, null) : null;
        if (grant == null) {
          error(req, 401, "invalid_client");
          return;
        }
      } else {
        error(req, 400, "unsupported_grant_type");
        return;
      }
      if (grant == null) {
        error(req, 400, "invalid_grant");
        return;
      }
      grants.add(grant);
      req.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("access_token", "tok-" + issued.incrementAndGet()).put("expires_in", expiresIn)
          .put("token_type", "Bearer").encode());
    });
  }

  /** The assertion checked as Google does: RS256 with the account's public key, iss, aud, times. */
  private Grant jwt(MultiMap form) {
    String[] parts = form.get("assertion") == null ? new String[0] : form.get("assertion").split("\\.");
    if (parts.length != 3 || !verifies(keys.getPublic(), parts)) {
      return null;
    }
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    boolean ok = "RS256".equals(header.getString("alg")) && CLIENT_EMAIL.equals(claims.getString("iss"))
        && tokenUrl().equals(claims.getString("aud")) && claims.getLong("exp", 0L) > claims.getLong("iat", 0L);
    return ok ? new Grant(form, header, claims) : null;
  }

  private static boolean verifies(PublicKey key, String[] parts) {
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (Exception e) {
      return false;
    }
  }

  private static void error(HttpServerRequest req, int status, String code) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code).put("error_description", "test server says no").encode());
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
