package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("/v1/messages at the edge: Anthropic's headers, envelope and statuses before any upstream is involved")
class AnthropicEdgeTest {

  /** Status line and JSON body of one request. */
  record Answer(int status, JsonObject body) {
    JsonObject error() {
      assertThat(body.getString("type")).isEqualTo("error");
      return body.getJsonObject("error");
    }
  }

  private static Answer post(int port, String path, String headers, String body) {
    try (RawClient client = new RawClient(port)) {
      String response = client.send("POST " + path + " HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n"
          + "anthropic-version: 2023-06-01\r\nanthropic-beta: prompt-caching-2024-07-31\r\n" + headers
          + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          + "\r\nConnection: close\r\n\r\n" + body).readResponse(3_000);
      int status = Integer.parseInt(response.substring(9, 12));
      return new Answer(status, new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)));
    }
  }

  private static final String HELLO = "{\"model\":\"claude-x\",\"max_tokens\":10,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String KEY = "x-api-key: " + TestEdge.SECRET + "\r\n";

  @Test
  @DisplayName("no key: 401 authentication_error in Anthropic's envelope")
  void noKey(Vertx vertx) {
    Answer a = post(TestEdge.start(vertx, EdgeOptions.defaults()).actualPort(), "/v1/messages", "", HELLO);
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.error().getString("type")).isEqualTo("authentication_error");
  }

  @Test
  @DisplayName("a key in x-api-key or as a Bearer token is accepted (the unknown model is then a 404 not_found_error)")
  void keyHeaders(Vertx vertx) {
    int port = TestEdge.start(vertx, EdgeOptions.defaults()).actualPort();
    for (String header : new String[] {KEY, "Authorization: Bearer " + TestEdge.SECRET + "\r\n"}) {
      Answer a = post(port, "/v1/messages", header, HELLO);
      assertThat(a.status()).as(header).isEqualTo(404);
      assertThat(a.error().getString("type")).isEqualTo("not_found_error");
      assertThat(a.error().getString("message")).contains("claude-x");
    }
  }

  @Test
  @DisplayName("a body without max_tokens: 400 invalid_request_error naming the field")
  void missingMaxTokens(Vertx vertx) {
    Answer a = post(TestEdge.start(vertx, EdgeOptions.defaults()).actualPort(), "/v1/messages", KEY,
        "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error()).isEqualTo(new JsonObject().put("type", "invalid_request_error")
        .put("message", "max_tokens: Field required"));
  }

  @Test
  @DisplayName("a body over the limit: 413 request_too_large")
  void tooLarge(Vertx vertx) {
    Answer a = post(TestEdge.start(vertx, EdgeOptions.defaults().withMaxBodyBytes(64)).actualPort(), "/v1/messages",
        KEY, HELLO.replace("hi", "x".repeat(100)));
    assertThat(a.status()).isEqualTo(413);
    assertThat(a.error().getString("type")).isEqualTo("request_too_large");
  }

  @Test
  @DisplayName("count_tokens and other paths under /v1/messages answer in Anthropic's envelope too")
  void underMessages(Vertx vertx) {
    int port = TestEdge.start(vertx, EdgeOptions.defaults()).actualPort();
    Answer count = post(port, "/v1/messages/count_tokens", KEY, "{\"model\":\"claude-x\",\"messages\":[]}");
    assertThat(count.status()).isEqualTo(400);
    assertThat(count.error().getString("message")).isEqualTo("messages: at least one message is required");
    Answer unknownModel = post(port, "/v1/messages/count_tokens", KEY,
        "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(unknownModel.status()).isEqualTo(404);
    assertThat(unknownModel.error().getString("type")).isEqualTo("not_found_error");
    Answer batches = post(port, "/v1/messages/batches", KEY, "{}");
    assertThat(batches.status()).isEqualTo(404);
    assertThat(batches.error().getString("type")).isEqualTo("not_found_error");
  }
}
