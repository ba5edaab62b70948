package io.tollgate.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback upstream for the conformance suite: answers every request with the canned answer of
 * the case being run (status, content type, body bytes as the provider documents them) and
 * records what the gateway sent. {@value #TOKEN_PATH} answers OAuth2 token requests instead.
 */
final class GoldenUpstream {

  /** What the gateway sent: path, headers of interest and the JSON body. */
  record Received(String path, String query, io.vertx.core.MultiMap headers, JsonObject body) {
  }

  /** Where {@link ConformanceTest} points service-account keys' {@code token_uri}; never recorded as a call. */
  static final String TOKEN_PATH = "/token";
  static final String TOKEN_ANSWER = "{\"access_token\":\"ya29.golden\",\"expires_in\":3599,\"token_type\":\"Bearer\"}";

  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile Buffer answer = Buffer.buffer("{}");
  final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static GoldenUpstream start(Vertx vertx) {
    GoldenUpstream u = new GoldenUpstream();
    u.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(body -> {
          if (req.path().equals(TOKEN_PATH)) {
            // An OAuth2 token endpoint for providers that trade a key for a token (Vertex AI).
            req.response().putHeader("content-type", "application/json").end(TOKEN_ANSWER);
            return;
          }
          JsonObject json = body.length() == 0 ? null : new JsonObject(body);
          u.received.add(new Received(req.path(), req.query(), req.headers(), json));
          req.response().setStatusCode(u.status).putHeader("content-type", u.contentType).end(u.answer);
        }))
        .listen().await();
    return u;
  }

  void answer(int status, String contentType, Buffer body) {
    this.status = status;
    this.contentType = contentType;
    this.answer = body;
    received.clear();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }
}
