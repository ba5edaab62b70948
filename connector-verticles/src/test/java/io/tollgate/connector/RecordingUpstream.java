package io.tollgate.connector;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback upstream for providers whose URLs differ from OpenAI's (Gemini, Azure): it answers
 * every path with the canned answer set last (status, content type, body bytes as the provider
 * documents them) and records path, query, headers and body of each request.
 */
public final class RecordingUpstream {

  public record Received(String path, String query, MultiMap headers, JsonObject body) {
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 500;
  private volatile String contentType = "application/json";
  private volatile Buffer answer = Buffer.buffer();
  private HttpServer server;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public static RecordingUpstream start(Vertx vertx) {
    RecordingUpstream u = new RecordingUpstream();
    u.server = Await.await(vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          u.received.add(new Received(req.path(), req.query(), req.headers(),
              body.length() == 0 ? null : body.toJsonObject()));
          req.response().setStatusCode(u.status).putHeader("content-type", u.contentType);
          u.headers.forEach(req.response()::putHeader);
          req.response().end(u.answer);
        }))
        .listen(0, "127.0.0.1"));
    return u;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** An event stream fixture, its events separated by CRLF CRLF as Google's front end sends them. */
  public void sse(String fixture) {
    answer(200, "text/event-stream", Fixtures.text(fixture).replace("\n", "\r\n"));
  }

  public void json(int status, String fixture) {
    answer(status, "application/json", Fixtures.text(fixture));
  }

  public void answer(int status, String contentType, String body) {
    this.status = status;
    this.contentType = contentType;
    this.answer = Buffer.buffer(body);
  }

  /** A header sent with every answer from now on (a Retry-After with an error, say). */
  public void header(String name, String value) {
    headers.put(name, value);
  }

  public List<Received> received() {
    return received;
  }
}
