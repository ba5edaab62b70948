package io.tollgate.admin.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client of the admin API, as an operator's script would be. */
public final class AdminClient {

  /** One answer: status, raw body, and the body as JSON when it is an object. */
  public record Response(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonObject error() {
      return json().getJsonObject("error");
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public AdminClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  public Response get(String path) {
    return send("GET", path, null, token);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body, token);
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, body, token);
  }

  public Response put(String path, Object body) {
    return send("PUT", path, body, token);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, token);
  }

  /** {@code body}: a String is sent as it is, anything else as its JSON encoding. */
  public Response send(String method, String path, Object body, String bearer) {
    String text = body == null ? null : body instanceof String s ? s : body.toString();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    if (bearer != null) {
      req.header("Authorization", "Bearer " + bearer);
    }
    if (text != null) {
      req.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(res.statusCode(), res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
