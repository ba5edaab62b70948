package io.tollgate.launcher;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server speaking Gemini's {@code streamGenerateContent?alt=sse} as Google documents it
 * (one {@code GenerateContentResponse} per {@code data:} event, CRLF CRLF between events, no end
 * marker), answering like a model with one tool: a request offering tools gets a
 * {@code functionCall} of {@code get_weather}, a request ending in a {@code functionResponse} gets
 * the weather in words, anything else a greeting in two pieces.
 */
final class FakeGeminiUpstream {

  record Received(String path, String query, MultiMap headers, JsonObject body) {
  }

  static final String RESPONSE_ID = "mAitaJ2LOYmTz7IP_sG3oAQ";

  final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static FakeGeminiUpstream start(Vertx vertx) {
    FakeGeminiUpstream fake = new FakeGeminiUpstream();
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
      received.add(new Received(req.path(), req.query(), req.headers(), body));
      var response = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      for (JsonObject event : answer(body)) {
        response.write("data: " + event.encode() + "\r\n\r\n");
      }
      response.end();
    });
  }

  /** The events answering {@code body}; Vertex AI speaks the same format (FakeVertexUpstream). */
  static List<JsonObject> answer(JsonObject body) {
    JsonArray contents = body.getJsonArray("contents");
    JsonObject last = contents.getJsonObject(contents.size() - 1);
    boolean answersTool = last.getJsonArray("parts").stream()
        .anyMatch(p -> ((JsonObject) p).containsKey("functionResponse"));
    if (answersTool) {
      return List.of(chunk(part("text", "It is sunny in Paris, 21 °C."), "STOP", usage(83, 12)));
    }
    if (body.containsKey("tools")) {
      JsonObject call = new JsonObject().put("name", "get_weather").put("args", new JsonObject().put("location", "Paris"));
      return List.of(chunk(new JsonObject().put("functionCall", call), "STOP", usage(58, 7)));
    }
    return List.of(chunk(part("text", "Hello"), null, usage(9, 0)), chunk(part("text", ", tollgate!"), "STOP", usage(9, 5)));
  }

  private static JsonObject part(String key, String value) {
    return new JsonObject().put(key, value);
  }

  private static JsonObject usage(int prompt, int candidates) {
    JsonObject usage = new JsonObject().put("promptTokenCount", prompt);
    if (candidates > 0) {
      usage.put("candidatesTokenCount", candidates);
    }
    return usage.put("totalTokenCount", prompt + candidates);
  }

  private static JsonObject chunk(JsonObject part, String finishReason, JsonObject usage) {
    JsonObject candidate = new JsonObject()
        .put("content", new JsonObject().put("parts", new JsonArray().add(part)).put("role", "model"));
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", 0);
    return new JsonObject().put("candidates", new JsonArray().add(candidate)).put("usageMetadata", usage)
        .put("modelVersion", "gemini-2.5-flash").put("responseId", RESPONSE_ID);
  }
}
