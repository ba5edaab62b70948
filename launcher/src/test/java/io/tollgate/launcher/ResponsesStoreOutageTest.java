package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Storing responses is the request's own extra work: a database that is down never fails an answer. */
@DisplayName("Responses API when the response store's PostgreSQL is down")
class ResponsesStoreOutageTest {

  static Vertx upstreams;
  static FakeOpenAiUpstream text;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    upstreams = Vertx.vertx();
    text = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.STREAM);
    gateway = TestGateway.start(TestGateway.writeConfig("""
            models:
              - name: gpt-text
                deployments:
                  - {id: text-1, provider: openai, base_url: %s, upstream_model: gpt-4o-mini}
            """.formatted(text.baseUrl())), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null,
        "postgresql://postgres@127.0.0.1:" + closedPort + "/postgres", TestGateway.freshDataDir());
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  @Test
  @DisplayName("a stored request is still answered; the failed write is counted in tollgate_responses_store_failures_total")
  void answeredAndCounted() throws Exception {
    double before = failures();
    Response r = client.responses().create(ResponseCreateParams.builder().model("gpt-text").input("hi").build());
    assertThat(r.status()).hasValue(com.openai.models.responses.ResponseStatus.COMPLETED);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (failures() < before + 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(failures()).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("continuing a response while the store is down is a 503 that says to retry, not a hang")
  void continuationUnavailable() {
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("gpt-text")
        .previousResponseId("resp_x").input("hi").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
  }

  private static double failures() throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.mgmtPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^tollgate_responses_store_failures_total(\\{[^}]*\\})? ([0-9.E+]+)$")
        .matcher(metrics.body());
    assertThat(m.find()).as("the counter is exported").isTrue();
    return Double.parseDouble(m.group(2));
  }
}
