package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Web console endpoints: /console/ from the jar, GET /admin/v1/info, CORS on the edge for the console only")
class ConsoleEndpointsTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Tollgate gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: chat-mock
            deployments:
              - {id: mock-a, provider: mock, mock: {tokens: 4}}
        """), Set.of(Role.values()), false, "unused", null);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String admin(String path) {
    return "http://127.0.0.1:" + gateway.adminPort() + path;
  }

  private static String edge(String path) {
    return "http://127.0.0.1:" + gateway.httpPort() + path;
  }

  private static String consoleOrigin() {
    return "http://127.0.0.1:" + gateway.adminPort();
  }

  @Test
  @DisplayName("the console's files are served without a token, with a strict content security policy")
  void serves() throws Exception {
    HttpResponse<String> bare = send(HttpRequest.newBuilder(URI.create(admin("/console"))));
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("location")).hasValue("/console/");
    HttpResponse<String> index = send(HttpRequest.newBuilder(URI.create(admin("/console/"))));
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\">");
    assertThat(index.headers().firstValue("content-security-policy")).get().asString()
        .contains("script-src 'self'").contains("frame-ancestors 'none'");
    HttpResponse<String> app = send(HttpRequest.newBuilder(URI.create(admin("/console/js/app.js"))));
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.headers().firstValue("content-type")).get().asString().contains("javascript");
    HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(admin("/console/js/nope.js"))));
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("GET /admin/v1/info needs the admin token and names this JVM's edge as the gateway URL")
  void info() throws Exception {
    assertThat(send(HttpRequest.newBuilder(URI.create(admin("/admin/v1/info")))).statusCode()).isEqualTo(401);
    HttpResponse<String> info = send(HttpRequest.newBuilder(URI.create(admin("/admin/v1/info")))
        .header("authorization", "Bearer " + TestGateway.ADMIN_TOKEN));
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(info.body()).getString("gateway_url")).isEqualTo(edge(""));
    assertThat(new JsonObject(info.body()).getString("console_path")).isEqualTo("/console/");
  }

  @Test
  @DisplayName("a preflight from the console's origin is answered 204 with the CORS headers, before any key check")
  void preflightFromConsole() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(edge("/v1/chat/completions")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("origin", consoleOrigin())
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type"));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(consoleOrigin());
    assertThat(r.headers().firstValue("access-control-allow-headers")).get().asString().contains("authorization");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
  }

  @Test
  @DisplayName("a chat from the console's origin carries the CORS headers; from another origin nothing changes")
  void onlyTheConsoleOrigin() throws Exception {
    String body = "{\"model\":\"chat-mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> console = send(HttpRequest.newBuilder(URI.create(edge("/v1/chat/completions")))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
        .header("authorization", "Bearer " + TestGateway.KEY).header("origin", consoleOrigin()));
    assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
    assertThat(console.headers().firstValue("access-control-allow-origin")).hasValue(consoleOrigin());
    assertThat(console.headers().firstValue("access-control-expose-headers")).hasValue("*");

    HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(edge("/v1/chat/completions")))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
        .header("authorization", "Bearer tg-not-a-key").header("origin", consoleOrigin()));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("access-control-allow-origin"))
        .as("the playground can read why it was refused").hasValue(consoleOrigin());

    HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(edge("/v1/chat/completions")))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
        .header("authorization", "Bearer " + TestGateway.KEY).header("origin", "https://elsewhere.example"));
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();

    HttpResponse<String> otherPreflight = send(HttpRequest.newBuilder(URI.create(edge("/v1/chat/completions")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("origin", "https://elsewhere.example")
        .header("access-control-request-method", "POST"));
    assertThat(otherPreflight.statusCode()).as("no key, no console: refused as before").isEqualTo(401);
    assertThat(otherPreflight.headers().firstValue("access-control-allow-origin")).isEmpty();
  }
}
