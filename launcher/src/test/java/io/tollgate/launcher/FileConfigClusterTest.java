package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.models.Model;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A cluster without admin nodes: every node serves the same --config file and follows its changes")
class FileConfigClusterTest {

  static EmbeddedRedisServer redis;
  static Path config;
  static Tollgate a;
  static Tollgate b;

  static String yaml(String... models) {
    StringBuilder sb = new StringBuilder("models:\n");
    for (String m : models) {
      sb.append("  - name: ").append(m).append("\n    deployments:\n      - {id: ").append(m)
          .append("-mock, provider: mock, mock: {tokens: 3}}\n");
    }
    return sb.append("keys:\n  - name: test\n    secret: ").append(TestGateway.KEY).append('\n').toString();
  }

  @BeforeAll
  static void start() throws Exception {
    redis = EmbeddedRedisServer.start();
    config = TestGateway.writeConfig(yaml("first"));
    String cluster = TestGateway.uniqueClusterName();
    Set<Role> roles = Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR);
    a = TestGateway.start(config, roles, true, cluster, redis.url(), null, TestGateway.freshDataDir(), Map.of());
    b = TestGateway.start(config, roles, true, cluster, redis.url(), null, TestGateway.freshDataDir(), Map.of());
    assertThat(TestGateway.awaitReady(a)).isEqualTo(200);
    assertThat(TestGateway.awaitReady(b)).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    for (Tollgate node : new Tollgate[] {a, b}) {
      if (node != null) {
        node.close().await();
      }
    }
    if (redis != null) {
      redis.stop();
    }
  }

  private static List<String> models(Tollgate node) {
    OpenAIClient client = TestGateway.openAi(node.httpPort(), TestGateway.KEY);
    return client.models().list().data().stream().map(Model::id).toList();
  }

  /** Polls both nodes until they serve {@code expected}, for at most {@code deadlineMs}; returns the time taken. */
  private static long awaitModels(List<String> expected, long deadlineMs) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      if (models(a).equals(expected) && models(b).equals(expected)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      assertThat((System.nanoTime() - start) / 1_000_000).as("both nodes serve " + expected + " in time")
          .isLessThan(deadlineMs);
      Thread.sleep(100);
    }
  }

  @Test
  @DisplayName("both nodes serve the file, a change is served by both within 5 s, a broken file keeps the last good one")
  void followsTheFile() throws Exception {
    assertThat(models(a)).containsExactly("first");
    assertThat(models(b)).containsExactly("first");
    assertThat(TestGateway.openAi(b.httpPort(), TestGateway.KEY).chat().completions().create(
        com.openai.models.chat.completions.ChatCompletionCreateParams.builder().model("first")
            .addUserMessage("hi").build()).choices()).hasSize(1);

    Files.writeString(config, yaml("first", "second"));
    long tookMs = awaitModels(List.of("first", "second"), 5_000);
    assertThat(tookMs).isLessThan(5_000);

    Files.writeString(config, "models: [ this is not : valid");
    TestGateway.awaitMetric(a, "tollgate_config_reloads_total{result=\"refused\"} 1.0", 5_000);
    TestGateway.awaitMetric(b, "tollgate_config_reloads_total{result=\"refused\"} 1.0", 5_000);
    assertThat(models(a)).as("the last good file stays").containsExactly("first", "second");
    assertThat(models(b)).containsExactly("first", "second");

    Files.writeString(config, yaml("second"));
    awaitModels(List.of("second"), 5_000);
  }
}
