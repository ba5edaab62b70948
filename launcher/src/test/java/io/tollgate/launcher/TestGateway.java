package io.tollgate.launcher;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String ADMIN_TOKEN = "tga-test-admin-token-0123456789abcdef";
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
    return start(config, roles, cluster, clusterName, redisUrl, null, freshDataDir());
  }

  /** A node on free ports; {@code pgUrl} null means the embedded PostgreSQL (single JVM only). */
  static Tollgate start(Path config, Set<Role> roles, boolean cluster, String clusterName, String redisUrl,
                        String pgUrl, Path dataDir) {
    return start(config, roles, cluster, clusterName, redisUrl, pgUrl, dataDir, ENV);
  }

  /** As above, with this node's own environment (credentials, TOLLGATE_SECRETS_KEY). */
  static Tollgate start(Path config, Set<Role> roles, boolean cluster, String clusterName, String redisUrl,
                        String pgUrl, Path dataDir, Map<String, String> env) {
    Settings settings = new Settings(roles, cluster, config, "127.0.0.1", 0, 0, 0, "127.0.0.1", "127.0.0.1",
        5801, clusterName, dataDir, null, redisUrl, pgUrl, false, ADMIN_TOKEN, null);
    return Tollgate.start(settings, env::get).await();
  }

  /** The id the admin API gave a key that was imported from the config file. */
  static String keyId(Tollgate node, String name) {
    JsonObject keys = admin(node, "GET", "/admin/v1/keys", null).body();
    for (Object k : keys.getJsonArray("data")) {
      JsonObject key = (JsonObject) k;
      if (key.getString("name").equals(name)) {
        return key.getString("id");
      }
    }
    throw new AssertionError("no key named " + name + " in " + keys);
  }

  record AdminResponse(int status, JsonObject body) {
  }

  /** A call to the admin API with the test's admin token. */
  static AdminResponse admin(Tollgate node, String method, String path, JsonObject body) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
          .header("authorization", "Bearer " + ADMIN_TOKEN).header("content-type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body.encode()))
          .build();
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new AdminResponse(r.statusCode(), r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits (up to 10 s) until the node's /health/ready says UP; returns the last status. */
  static int awaitReady(Tollgate node) {
    int status = 0;
    try {
      for (int i = 0; i < 100 && status != 200; i++) {
        status = ready(node);
        if (status != 200) {
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return status;
  }

  /** The status of the node's /health/ready now. */
  static int ready(Tollgate node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.mgmtPort() + "/health/ready"))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The node's /metrics text. */
  static String metrics(Tollgate node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.mgmtPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls the node's /metrics until it has {@code line}, for at most {@code deadlineMs}. */
  static void awaitMetric(Tollgate node, String line, long deadlineMs) {
    long start = System.nanoTime();
    while (!metrics(node).contains(line)) {
      if ((System.nanoTime() - start) / 1_000_000 > deadlineMs) {
        throw new AssertionError("no '" + line + "' in /metrics within " + deadlineMs + " ms:\n" + metrics(node));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static Path freshDataDir() {
    try {
      return Files.createTempDirectory(Path.of("target"), "test-data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
