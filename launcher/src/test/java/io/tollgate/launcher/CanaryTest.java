package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Canary end to end: put through the admin API, seen in the routers' decisions, rolled back in one call")
class CanaryTest {

  static Tollgate gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: canaried
            deployments:
              - {id: stable-1, provider: mock, priority: 0, mock: {tokens: 2}}
              - {id: canary-1, provider: mock, priority: 1, mock: {tokens: 2}}
        """), Set.of(Role.values()), false, "unused", null);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
  }

  private static JsonObject invoke(String tenant) {
    JsonObject body = new JsonObject().put("messages", List.of(new JsonObject().put("role", "user").put("content", "hi")));
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "POST",
        "/admin/v1/models/canaried/invoke" + (tenant == null ? "" : "?tenant=" + tenant), body);
    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    return r.body().getJsonObject("routing");
  }

  private static JsonObject routingView() {
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "GET", "/admin/v1/models/canaried/routing", null);
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  @Test
  @DisplayName("a named tenant gets the canary's routing version and deployment, others the stable one; "
      + "one DELETE rolls everyone back")
  void rolloutAndRollback() throws Exception {
    String stableVersion = routingView().getString("routing_version");
    assertThat(invoke("t-beta").getString("deployment_id")).isEqualTo("stable-1");

    JsonObject canary = new JsonObject().put("weights", new JsonObject().put("stable-1", 0))
        .put("tenants", new JsonArray().add("t-beta"));
    TestGateway.AdminResponse put = TestGateway.admin(gateway, "PUT", "/admin/v1/models/canaried/canary", canary);
    assertThat(put.status()).as(put.body().encode()).isEqualTo(200);
    String canaryVersion = awaitCanaryVersion();
    assertThat(canaryVersion).isNotEqualTo(stableVersion);
    assertThat(routingView().getString("routing_version")).as("the stable version stays").isEqualTo(stableVersion);

    JsonObject beta = invoke("t-beta");
    assertThat(beta.getString("deployment_id")).isEqualTo("canary-1");
    assertThat(beta.getString("routing_version")).isEqualTo(canaryVersion);
    JsonObject other = invoke("t-other");
    assertThat(other.getString("deployment_id")).isEqualTo("stable-1");
    assertThat(other.getString("routing_version")).isEqualTo(stableVersion);

    assertThat(TestGateway.admin(gateway, "DELETE", "/admin/v1/models/canaried/canary", null).status()).isEqualTo(200);
    awaitNoCanary();
    JsonObject back = invoke("t-beta");
    assertThat(back.getString("deployment_id")).isEqualTo("stable-1");
    assertThat(back.getString("routing_version")).isEqualTo(stableVersion);
  }

  /** The admin's change reaches the routers through the config feed a moment later: up to 5 s. */
  private static String awaitCanaryVersion() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      String v = routingView().getString("canary_version");
      if (v != null) {
        return v;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the routers never saw the canary");
  }

  private static void awaitNoCanary() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (routingView().getString("canary_version") == null) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the routers still route by the canary");
  }
}
