package io.tollgate.launcher;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A partner's client of the external channel, written from the README's recipe (not from the
 * gateway's own code): HMAC-SHA256 over method, path, timestamp, nonce and the body's SHA-256.
 */
final class SignedClient {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  record Answer(int status, HttpResponse<String> raw) {
    JsonObject json() {
      return new JsonObject(raw.body());
    }

    String code() {
      return json().getJsonObject("error").getString("code");
    }
  }

  /** What is signed and what is sent; they differ only when a test tampers with one. */
  record Signed(String method, String path, long timestamp, String nonce, String signedBody, String sentBody) {
  }

  private SignedClient() {
  }

  static String nonce() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static long now() {
    return System.currentTimeMillis() / 1_000;
  }

  static Signed chat(String body) {
    return new Signed("POST", "/v1/chat/completions", now(), nonce(), body, body);
  }

  static String sign(String secret, String method, String path, long timestamp, String nonce, String body) {
    try {
      String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(body.getBytes(StandardCharsets.UTF_8)));
      String canonical = method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + bodyHash;
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code s} signed with {@code secret} to the edge on {@code port}. */
  static Answer send(int port, String key, String secret, Signed s) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + s.path()))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .header("x-tollgate-timestamp", Long.toString(s.timestamp())).header("x-tollgate-nonce", s.nonce())
        .header("x-tollgate-signature", sign(secret, s.method(), s.path(), s.timestamp(), s.nonce(), s.signedBody()))
        .method(s.method(), s.sentBody().isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(s.sentBody()));
    return call(b.build());
  }

  /** Sends a request with only the bearer key (an internal key, or an external one without signing). */
  static Answer plain(int port, String key, String path, String body) {
    return call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static Answer call(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
