package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /admin/v1/models/{name}/invoke: the slot test runs through routers and real connectors")
class InvokeTest {

  static Vertx upstreams;
  static FakeOpenAiUpstream ok;
  static FakeOpenAiUpstream failing;
  static Tollgate gateway;

  @BeforeAll
  static void start() throws Exception {
    upstreams = Vertx.vertx();
    ok = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.STREAM);
    failing = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.FAIL_500);
    int refused;
    try (ServerSocket s = new ServerSocket(0)) {
      refused = s.getLocalPort();
    }
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: chain
            aliases: [chain-alias]
            deployments:
              - {id: broken, provider: openai, base_url: %2$s, priority: 0}
              - {id: healthy, provider: openai, base_url: %1$s, api_key: "${UPSTREAM_KEY}", priority: 1,
                 upstream_model: gpt-4o-mini}
          - name: all-down
            routing: {retries: 1, retry_backoff_ms: 10}
            deployments:
              - {id: down-500, provider: openai, base_url: %2$s, priority: 0}
              - {id: down-refused, provider: openai, base_url: "http://127.0.0.1:%3$d/v1", priority: 1}
        """.formatted(ok.baseUrl(), failing.baseUrl(), refused)), Set.of(Role.values()), false, "unused", null);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static JsonObject chat() {
    return new JsonObject().put("messages", List.of(new JsonObject().put("role", "user").put("content", "hi")));
  }

  @Test
  @DisplayName("a failing primary and a working backup: 200 with the completion, the routing decision and both attempts")
  void failingPrimary() {
    int before = failing.requests();
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "POST", "/admin/v1/models/chain-alias/invoke", chat());

    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    JsonObject response = r.body().getJsonObject("response");
    assertThat(response.getString("object")).isEqualTo("chat.completion");
    assertThat(response.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isNotBlank();
    JsonObject routing = r.body().getJsonObject("routing");
    assertThat(routing.getString("policy")).isEqualTo("priority");
    assertThat(routing.getString("deployment_id")).isEqualTo("healthy");
    assertThat(routing.getString("provider")).isEqualTo("openai");
    assertThat(routing.getDouble("propensity")).isEqualTo(1.0);
    assertThat(routing.getString("reason")).isNotBlank();
    JsonArray trace = r.body().getJsonArray("failover_trace");
    assertThat(trace).hasSize(2);
    assertThat(trace.getJsonObject(0).getString("deployment_id")).isEqualTo("broken");
    assertThat(trace.getJsonObject(0).getString("status")).isEqualTo("error");
    assertThat(trace.getJsonObject(0).getString("error_code")).isEqualTo("upstream_error");
    assertThat(trace.getJsonObject(0).getString("message")).contains("500");
    assertThat(trace.getJsonObject(1).getString("deployment_id")).isEqualTo("healthy");
    assertThat(trace.getJsonObject(1).getString("status")).isEqualTo("ok");
    assertThat(trace.getJsonObject(1).getValue("error_code")).isNull();
    assertThat(trace.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("deployment_id", "provider", "status",
        "error_code", "message", "latency_ms");
    assertThat(r.body().getLong("latency_ms")).isNotNegative();
    assertThat(r.body().getJsonObject("usage").getLong("total_tokens")).isPositive();
    assertThat(failing.requests()).as("the primary upstream really was called").isEqualTo(before + 1);
    assertThat(ok.bodies.get(ok.bodies.size() - 1).getString("model")).isEqualTo("gpt-4o-mini");
  }

  @Test
  @DisplayName("when every deployment fails: still 200, response null and the full trace including the retry")
  void allFail() {
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "POST", "/admin/v1/models/all-down/invoke", chat());

    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    assertThat(r.body().containsKey("response")).isTrue();
    assertThat(r.body().getValue("response")).isNull();
    assertThat(r.body().getJsonObject("routing").getValue("deployment_id")).isNull();
    JsonArray trace = r.body().getJsonArray("failover_trace");
    assertThat(trace.stream().map(o -> ((JsonObject) o).getString("deployment_id")).toList())
        .containsExactly("down-500", "down-refused", "down-refused");
    assertThat(trace.stream().map(o -> ((JsonObject) o).getString("error_code")).toList())
        .containsExactly("upstream_error", "upstream_unreachable", "upstream_unreachable");
    assertThat(trace.stream().map(o -> ((JsonObject) o).getString("status")).distinct().toList())
        .containsExactly("error");
  }

  @Test
  @DisplayName("an unknown model is 404 model_not_found; a body without messages is 400 naming the field")
  void badInput() {
    TestGateway.AdminResponse unknown = TestGateway.admin(gateway, "POST", "/admin/v1/models/nope/invoke", chat());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().getJsonObject("error").getString("code")).isEqualTo("model_not_found");

    TestGateway.AdminResponse bad = TestGateway.admin(gateway, "POST", "/admin/v1/models/chain/invoke",
        new JsonObject().put("messages", "hi"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonObject("error").getString("param")).isEqualTo("messages");
  }
}
