package io.tollgate.launcher;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback OpenAI-compatible {@code POST /v1/completions} as documented: with {@code stream: true}
 * {@code text_completion} chunks (each choice's {@code text}, {@code finish_reason} on its last one),
 * a usage-only chunk when {@code stream_options.include_usage} asks, then {@code data: [DONE]}.
 * Each prompt gets {@code n} choices, indexed prompt by prompt, each the text {@link #TEXT} in three
 * pieces. A {@code max_tokens} over {@value #MAX_TOKENS} is OpenAI's 400 naming {@code max_tokens};
 * {@code /broken/v1/completions} answers 500.
 */
final class FakeCompletionsUpstream {

  record Received(String path, MultiMap headers, JsonObject body) {
  }

  static final List<String> PIECES = List.of("Once", " upon", " a time");
  static final String TEXT = String.join("", PIECES);
  static final int PROMPT_TOKENS = 5;
  static final int MAX_TOKENS = 4096;

  final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static FakeCompletionsUpstream start(Vertx vertx) {
    FakeCompletionsUpstream fake = new FakeCompletionsUpstream();
    fake.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(fake::handle);
    fake.server.listen().await();
    return fake;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      received.add(new Received(req.path(), req.headers(), body));
      HttpServerResponse res = req.response();
      if (req.path().startsWith("/broken/")) {
        res.setStatusCode(500).putHeader("content-type", "application/json")
            .end("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        return;
      }
      if (body.getInteger("max_tokens", 16) > MAX_TOKENS) {
        res.setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject()
            .put("error", new JsonObject().put("message", "This model's maximum context length is 4097 tokens.")
                .put("type", "invalid_request_error").put("param", "max_tokens").putNull("code")).encode());
        return;
      }
      Object prompt = body.getValue("prompt");
      int prompts = prompt instanceof JsonArray a && !(a.getValue(0) instanceof Number) ? a.size() : 1;
      int choices = prompts * body.getInteger("n", 1);
      res.putHeader("content-type", "text/event-stream").setChunked(true);
      for (int p = 0; p < PIECES.size(); p++) {
        JsonArray cs = new JsonArray();
        for (int c = 0; c < choices; c++) {
          cs.add(new JsonObject().put("text", PIECES.get(p)).put("index", c).putNull("logprobs")
              .put("finish_reason", p == PIECES.size() - 1 ? "stop" : null));
        }
        res.write("data: " + chunk(body, cs).encode() + "\n\n");
      }
      JsonObject options = body.getJsonObject("stream_options");
      if (options != null && options.getBoolean("include_usage", false)) {
        int completion = PIECES.size() * choices;
        res.write("data: " + chunk(body, new JsonArray()).put("usage", new JsonObject()
            .put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", completion)
            .put("total_tokens", PROMPT_TOKENS + completion)).encode() + "\n\n");
      }
      res.end("data: [DONE]\n\n");
    });
  }

  private static JsonObject chunk(JsonObject body, JsonArray choices) {
    return new JsonObject().put("id", "cmpl-upstream-1").put("object", "text_completion").put("created", 1700000000)
        .put("model", body.getString("model")).put("choices", choices);
  }
}
