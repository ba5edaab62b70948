package io.tollgate.launcher;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Starts gateway nodes in this JVM on free loopback ports, with a config written for the test. */
final class TestGateway {

  static final String KEY = "tg-test-3f9a1c2b7d8e4f60a1b2c3d4e5f60718";
  static final Map<String, String> ENV = Map.of("UPSTREAM_KEY", FakeOpenAiUpstream.UPSTREAM_KEY);

  private TestGateway() {
  }

  static Path writeConfig(String yaml) {
    try {
      Path file = Files.createTempFile("tollgate-test", ".yaml");
      Files.writeString(file, yaml.contains("\nkeys:") ? yaml
          : yaml + "\nkeys:\n  - name: test\n    secret: " + KEY + "\n");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Tollgate start(Path config, Set<Role> roles, boolean cluster, String clusterName, String redisUrl) {
    Settings settings = new Settings(roles, cluster, config, "127.0.0.1", 0, 0, 0, "127.0.0.1", "127.0.0.1",
        5801, clusterName, Path.of("target", "test-data"), null, redisUrl, null, false);
    return Tollgate.start(settings, ENV::get).await();
  }

  /** One JVM with every role and the embedded defaults. */
  static Tollgate start(Path config) {
    return start(config, Set.of(Role.values()), false, "unused", null);
  }

  static String uniqueClusterName() {
    return "tollgate-test-" + UUID.randomUUID();
  }

  static OpenAIClient openAi(int port, String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + port + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }
}
