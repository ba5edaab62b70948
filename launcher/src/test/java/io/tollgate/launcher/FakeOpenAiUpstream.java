package io.tollgate.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that speaks OpenAI's chat completions wire format, for tests: it answers
 * from fixtures of the documented formats, or streams slowly until its client hangs up.
 */
final class FakeOpenAiUpstream {

  enum Mode {
    /** The documented streaming answer from {@code fixtures/openai/chat-stream.sse}. */
    STREAM,
    /** A streamed function call, from {@code fixtures/openai/chat-stream-tools.sse}. */
    STREAM_TOOLS,
    /** HTTP 500 with OpenAI's server-error envelope. */
    FAIL_500,
    /** A chunk every 50 ms, up to 400 of them, noting when the connection was closed. */
    SLOW_STREAM,
    /** 16 KB chunks as fast as the socket takes them, for up to a minute, noting the close. */
    FLOOD,
    /** Reads the request and never answers (a hung upstream); counts the connections the gateway closed. */
    HANG
  }

  static final String UPSTREAM_KEY = "sk-upstream-test";

  private final Mode mode;
  private HttpServer server;
  final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** The W3C headers of each request ("null" when absent), in order. */
  final List<String> traceparents = new CopyOnWriteArrayList<>();
  final List<String> tracestates = new CopyOnWriteArrayList<>();
  /** HANG: how many requests the gateway gave up on by closing their connection. */
  final java.util.concurrent.atomic.AtomicInteger abandoned = new java.util.concurrent.atomic.AtomicInteger();
  /** Completes with System.nanoTime() when a SLOW_STREAM connection is closed by the client. */
  final CompletableFuture<Long> closedAt = new CompletableFuture<>();

  private FakeOpenAiUpstream(Mode mode) {
    this.mode = mode;
  }

  static FakeOpenAiUpstream start(Vertx vertx, Mode mode) {
    FakeOpenAiUpstream fake = new FakeOpenAiUpstream(mode);
    fake.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(fake::handle);
    fake.server.listen().await();
    return fake;
  }

  int port() {
    return server.actualPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  int requests() {
    return bodies.size();
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    if (!req.path().equals("/v1/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      bodies.add(body.toJsonObject());
      authorizations.add(String.valueOf(req.getHeader("authorization")));
      traceparents.add(String.valueOf(req.getHeader("traceparent")));
      tracestates.add(String.valueOf(req.getHeader("tracestate")));
      switch (mode) {
        case STREAM -> req.response().putHeader("content-type", "text/event-stream").end(fixture("chat-stream.sse"));
        case STREAM_TOOLS -> req.response().putHeader("content-type", "text/event-stream")
            .end(fixture("chat-stream-tools.sse"));
        case FAIL_500 -> req.response().setStatusCode(500).putHeader("content-type", "application/json")
            .end(fixture("error-500.json"));
        case SLOW_STREAM -> slowStream(req, 50, 400, 1);
        case FLOOD -> slowStream(req, 1, 60_000, 16 * 1024);
        case HANG -> req.connection().closeHandler(v -> abandoned.incrementAndGet());
      }
    });
  }

  private void slowStream(HttpServerRequest req, long everyMs, int chunks, int chunkChars) {
    var response = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
    req.connection().closeHandler(v -> closedAt.complete(System.nanoTime()));
    response.writeHead();
    long[] sent = {0};
    Vertx vertx = Vertx.currentContext().owner();
    String padding = "x".repeat(Math.max(0, chunkChars - 8));
    vertx.setPeriodic(everyMs, id -> {
      if (response.closed() || response.ended() || sent[0] >= chunks) {
        vertx.cancelTimer(id);
        if (!response.closed() && !response.ended()) {
          response.end("data: [DONE]\n\n");
        }
        return;
      }
      JsonObject chunk = new JsonObject().put("id", "chatcmpl-slow").put("object", "chat.completion.chunk")
          .put("created", 1741570283).put("model", "gpt-4o-mini")
          .put("choices", List.of(new JsonObject().put("index", 0)
              .put("delta", new JsonObject().put("content", "tok" + sent[0] + " " + padding)).putNull("finish_reason")));
      response.write("data: " + chunk.encode() + "\n\n");
      sent[0]++;
    });
  }

  private static Buffer fixture(String name) {
    try (InputStream in = FakeOpenAiUpstream.class.getResourceAsStream("/fixtures/openai/" + name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
