package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Redis stopped mid-run: requests keep flowing under local limits and readiness says degraded")
class RedisOutageTest {

  static final String KEY = "tg-test-outage-000000000000000000000000000";

  @Test
  @DisplayName("limits degrade to per-node approximations while Redis is down and recover when it returns")
  void degradesAndRecovers() throws Exception {
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    Tollgate gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 4}}
        keys:
          - {name: outage, secret: %s, rpm: 1000, tpm: 1000000}
        """.formatted(KEY)), Set.of(Role.values()), false, "unused", redis.url());
    try {
      OpenAIClient client = TestGateway.openAi(gateway.httpPort(), KEY);
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("mock-model")
          .addUserMessage("still there?").build();
      client.chat().completions().create(params);
      assertThat(limitsCheck(gateway).getJsonObject("data").getString("redis")).isEqualTo("up");

      redis.stop();
      for (int i = 0; i < 5; i++) {
        assertThat(client.chat().completions().create(params).choices()).hasSize(1);
      }
      JsonObject degraded = limitsCheck(gateway);
      assertThat(degraded.getString("status")).isEqualTo("UP");
      assertThat(degraded.getJsonObject("data").getBoolean("degraded")).isTrue();
      assertThat(degraded.getJsonObject("data").getString("mode")).isEqualTo("local-approximate");

      redis.restart();
      String state = "down";
      for (int i = 0; i < 100 && !state.equals("up"); i++) {
        Thread.sleep(100);
        state = limitsCheck(gateway).getJsonObject("data").getString("redis");
      }
      assertThat(state).isEqualTo("up");
      assertThat(client.chat().completions().create(params).choices()).hasSize(1);
    } finally {
      gateway.close().await();
      redis.stop();
    }
  }

  private static JsonObject limitsCheck(Tollgate node) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.mgmtPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    for (Object check : new JsonObject(r.body()).getJsonArray("checks")) {
      JsonObject c = (JsonObject) check;
      if (c.getString("id").equals("limits")) {
        return c;
      }
    }
    throw new AssertionError("no limits check in " + r.body());
  }
}
