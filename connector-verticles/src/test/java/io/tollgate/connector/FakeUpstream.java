package io.tollgate.connector;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A loopback HTTP server speaking a provider's wire format from fixtures (OpenAI's chat
 * completions or Anthropic's messages path; any other path is a 404). It records each request
 * (headers, JSON body) and when that request's connection closed, so tests can prove the
 * connector hung up on the upstream.
 */
public final class FakeUpstream {

  /** One request as the upstream saw it. */
  public record Received(String path, MultiMap headers, JsonObject body, Future<Void> connectionClosed) {
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Promise<Received> first = Promise.promise();
  private volatile BiConsumer<HttpServerRequest, JsonObject> responder = (req, body) -> req.response()
      .setStatusCode(500).end();
  private HttpServer server;

  public static FakeUpstream start(Vertx vertx) {
    FakeUpstream upstream = new FakeUpstream();
    upstream.server = Await.await(vertx.createHttpServer()
        .requestHandler(upstream::onRequest)
        .listen(0, "127.0.0.1"));
    return upstream;
  }

  /** With a trailing slash on purpose: the connector must tolerate it. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/";
  }

  /** Without /v1, as Anthropic deployments take it; with a trailing slash on purpose. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  public void respond(BiConsumer<HttpServerRequest, JsonObject> responder) {
    this.responder = responder;
  }

  public Future<Received> firstRequest() {
    return first.future();
  }

  public List<Received> received() {
    return received;
  }

  private void onRequest(HttpServerRequest req) {
    Promise<Void> closed = Promise.promise();
    req.connection().closeHandler(v -> closed.tryComplete());
    req.body().onSuccess(body -> {
      Received r = new Received(req.path(), req.headers(), body.length() == 0 ? null : body.toJsonObject(),
          closed.future());
      received.add(r);
      first.tryComplete(r);
      if (!"/v1/chat/completions".equals(req.path()) && !"/v1/messages".equals(req.path())) {
        req.response().setStatusCode(404).end();
        return;
      }
      responder.accept(req, r.body());
    });
  }

  /** The whole SSE fixture, in slices of {@code sliceBytes} bytes, optionally with CRLF line ends. */
  public static BiConsumer<HttpServerRequest, JsonObject> sse(String fixture, int sliceBytes, boolean crlf) {
    return (req, body) -> {
      String text = Fixtures.text(fixture);
      Buffer all = Buffer.buffer(crlf ? text.replace("\n", "\r\n") : text);
      HttpServerResponse response = sseHead(req);
      for (int i = 0; i < all.length(); i += sliceBytes) {
        response.write(all.slice(i, Math.min(all.length(), i + sliceBytes)).copy());
      }
      response.end();
    };
  }

  /** The first {@code events} events of the fixture, then silence with the connection open. */
  public static BiConsumer<HttpServerRequest, JsonObject> sseThenStall(String fixture, int events) {
    return (req, body) -> {
      HttpServerResponse response = sseHead(req);
      Fixtures.events(fixture).stream().limit(events).forEach(e -> response.write(e + "\n\n"));
    };
  }

  /** Raw event-stream text, then the end of the response. */
  public static BiConsumer<HttpServerRequest, JsonObject> rawSse(String text) {
    return (req, body) -> sseHead(req).end(text);
  }

  public static BiConsumer<HttpServerRequest, JsonObject> json(int status, String fixture) {
    return (req, body) -> req.response().setStatusCode(status)
        .putHeader("content-type", "application/json").end(Fixtures.text(fixture));
  }

  /** Never answers: no status line. */
  public static BiConsumer<HttpServerRequest, JsonObject> silent() {
    return (req, body) -> {
    };
  }

  private static HttpServerResponse sseHead(HttpServerRequest req) {
    return req.response().setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache");
  }
}
