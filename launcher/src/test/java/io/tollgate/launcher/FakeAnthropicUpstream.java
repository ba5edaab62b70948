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
 * A loopback server speaking the Anthropic Messages API's event stream, as documented: a text
 * answer, a {@code tool_use} answer with its input streamed as {@code input_json_delta} pieces
 * when the request offers tools and has no tool results yet, and a text answer quoting the tool
 * result once the request carries one.
 */
final class FakeAnthropicUpstream {

  record Received(String path, MultiMap headers, JsonObject body) {
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static FakeAnthropicUpstream start(Vertx vertx) {
    FakeAnthropicUpstream fake = new FakeAnthropicUpstream();
    fake.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(fake::handle);
    fake.server.listen().await();
    return fake;
  }

  /** Without /v1, as Anthropic deployments are configured. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(bytes -> {
      JsonObject body = bytes.toJsonObject();
      received.add(new Received(req.path(), req.headers(), body));
      if (!"/v1/messages".equals(req.path())) {
        req.response().setStatusCode(404).putHeader("content-type", "application/json")
            .end("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}");
        return;
      }
      String toolResult = lastToolResult(body);
      String sse;
      if (toolResult != null) {
        sse = text("The weather tool says: " + toolResult, 510, 12);
      } else if (body.getJsonArray("tools") != null) {
        sse = toolUse();
      } else {
        sse = text("Hello!", 25, 15);
      }
      req.response().putHeader("content-type", "text/event-stream; charset=utf-8").end(sse);
    });
  }

  private static String lastToolResult(JsonObject body) {
    JsonArray messages = body.getJsonArray("messages");
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    if (last.getValue("content") instanceof JsonArray blocks) {
      for (Object b : blocks) {
        JsonObject block = (JsonObject) b;
        if ("tool_result".equals(block.getString("type"))) {
          return block.getString("content");
        }
      }
    }
    return null;
  }

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  private static String start(long inputTokens) {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":1}}}");
  }

  private static String end(String stopReason, long outputTokens) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}")
        + event("message_stop", "{\"type\":\"message_stop\"}");
  }

  private static String text(String text, long inputTokens, long outputTokens) {
    String half = text.substring(0, text.length() / 2);
    String rest = text.substring(text.length() / 2);
    return start(inputTokens)
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
        + event("ping", "{\"type\": \"ping\"}")
        + event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", half)).encode())
        + event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", rest)).encode())
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
        + end("end_turn", outputTokens);
  }

  private static String toolUse() {
    return start(472)
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
            + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\":\"}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\" \\\"Paris, France\\\"}\"}}")
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
        + end("tool_use", 89);
  }
}
