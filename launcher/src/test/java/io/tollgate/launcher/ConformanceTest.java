package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The translation conformance suite: golden files under {@code src/test/resources/conformance},
 * one directory per (inbound format, upstream provider) pair named {@code <format>-to-<provider>},
 * one directory per case holding
 * <ul>
 *   <li>{@code request.json}: the client's request body (its {@code stream} decides JSON or SSE);</li>
 *   <li>{@code upstream-request.json}: exactly what the upstream must receive (JSON equality);</li>
 *   <li>{@code upstream-response.json} or {@code upstream-response.sse}: the upstream's answer in
 *       its documented format, with {@code upstream-status.txt} when it is not 200;</li>
 *   <li>{@code client-response.json} or {@code client-response.sse}: the answer the client must get,
 *       with {@code client-status.txt} when it is not 200. Generated ids and timestamps are masked
 *       on both sides ({@link Golden#normalize}).</li>
 *   <li>optionally {@code upstream-path.txt}: the path (and {@code ?query}) the upstream must be
 *       called on, for providers whose URL carries the model or a version.</li>
 * </ul>
 * Each pair runs against one gateway whose model {@code conformance} has a single deployment of
 * that provider ({@code upstream_model: upstream-model}, {@code api_key: sk-upstream-test}, no
 * retries: one upstream call per case) on a loopback {@link GoldenUpstream}. A pair directory may
 * hold {@code deployment.yaml}: extra fields of that deployment, one {@code key: value} per line
 * (Azure's {@code api_version}); an {@code api_key} line there replaces the default one, and
 * {@code {service_account_key}} is the path of a generated service-account key file whose
 * {@code token_uri} is the golden upstream's token endpoint (Vertex AI). Adding a case is adding a directory.
 */
@DisplayName("Conformance: every inbound format to every upstream format, from golden files")
class ConformanceTest {

  private static final Path ROOT = Paths.get("src/test/resources/conformance");
  /** Where each inbound format is served, and how its key is sent. */
  private static final Map<String, String> ENDPOINTS = Map.of(
      "openai-chat", "/v1/chat/completions",
      "anthropic", "/v1/messages",
      "openai-responses", "/v1/responses",
      "openai-completions", "/v1/completions",
      "rerank", "/v1/rerank");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Vertx vertx;
  static GoldenUpstream upstream;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = GoldenUpstream.start(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @TestFactory
  Stream<DynamicNode> pairs() throws IOException {
    List<DynamicNode> pairs = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT)) {
      for (Path pair : dirs.filter(Files::isDirectory).sorted().toList()) {
        pairs.add(pair(pair));
      }
    }
    assertThat(pairs).as("conformance pairs under " + ROOT).isNotEmpty();
    return pairs.stream();
  }

  private static DynamicContainer pair(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    int sep = name.indexOf("-to-");
    String format = name.substring(0, sep);
    String provider = name.substring(sep + 4);
    assertThat(ENDPOINTS).as("known inbound format of " + name).containsKey(format);
    List<Path> cases;
    try (Stream<Path> s = Files.list(dir)) {
      cases = s.filter(Files::isDirectory).sorted().toList();
    }
    // One gateway per pair, started when the first case runs and closed after the last.
    Path extra = dir.resolve("deployment.yaml");
    GatewayHolder holder = new GatewayHolder(provider, Files.exists(extra) ? Files.readString(extra) : "");
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Path c = cases.get(i);
      boolean last = i == cases.size() - 1;
      tests.add(DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
        try {
          runCase(holder.port(), format, c);
        } finally {
          if (last) {
            holder.close();
          }
        }
      }));
    }
    return DynamicContainer.dynamicContainer(name, tests);
  }

  private static void runCase(int port, String format, Path dir) throws Exception {
    Path sse = dir.resolve("upstream-response.sse");
    boolean upstreamSse = Files.exists(sse);
    upstream.answer(intOr(dir.resolve("upstream-status.txt"), 200),
        upstreamSse ? "text/event-stream" : "application/json",
        Buffer.buffer(Files.readAllBytes(upstreamSse ? sse : dir.resolve("upstream-response.json"))));

    String request = Files.readString(dir.resolve("request.json"));
    HttpRequest.Builder http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ENDPOINTS.get(format)))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(request));
    if (format.equals("anthropic")) {
      http.header("x-api-key", TestGateway.KEY).header("anthropic-version", "2023-06-01");
    } else {
      http.header("authorization", "Bearer " + TestGateway.KEY);
    }
    HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());

    Path expectedUpstream = dir.resolve("upstream-request.json");
    if (RECORD) {
      record(dir, response, upstream.received.isEmpty() ? null : upstream.received.get(0).body());
    }
    Path expectedPath = dir.resolve("upstream-path.txt");
    if (Files.exists(expectedPath)) {
      assertThat(upstream.received).as("calls the upstream received").hasSize(1);
      GoldenUpstream.Received r = upstream.received.get(0);
      assertThat(r.path() + (r.query() == null ? "" : "?" + r.query())).as("the upstream's path (%s)", expectedPath)
          .isEqualTo(Files.readString(expectedPath).trim());
    }
    if (Files.exists(expectedUpstream)) {
      assertThat(upstream.received).as("calls the upstream received").hasSize(1);
      assertThat(upstream.received.get(0).body())
          .as("what the upstream received (%s)", expectedUpstream)
          .isEqualTo(new JsonObject(Files.readString(expectedUpstream)));
    }
    assertThat(response.statusCode()).as("client status; body: " + response.body())
        .isEqualTo(intOr(dir.resolve("client-status.txt"), 200));
    Path expectedSse = dir.resolve("client-response.sse");
    if (Files.exists(expectedSse)) {
      assertThat(Golden.events(response.body())).as("client stream")
          .containsExactlyElementsOf(Golden.events(Files.readString(expectedSse)));
    } else {
      assertThat(Golden.normalize(new JsonObject(response.body()))).as("client answer")
          .isEqualTo(Golden.normalize(new JsonObject(Files.readString(dir.resolve("client-response.json")))));
    }
  }

  /**
   * {@code -Dgolden.record=true} writes the expected files a case does not have yet from what the
   * gateway did, for a human to read and correct before committing; existing files are never
   * touched, and the run still compares against them.
   */
  private static final boolean RECORD = Boolean.getBoolean("golden.record");

  private static void record(Path dir, HttpResponse<String> response, JsonObject upstreamBody) throws IOException {
    Path up = dir.resolve("upstream-request.json");
    if (upstreamBody != null && !Files.exists(up)) {
      Files.writeString(up, upstreamBody.encodePrettily() + "\n");
    }
    boolean sse = response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
    Path client = dir.resolve(sse ? "client-response.sse" : "client-response.json");
    if (!Files.exists(client) && !Files.exists(dir.resolve(sse ? "client-response.json" : "client-response.sse"))) {
      Files.writeString(client, sse ? response.body() : new JsonObject(response.body()).encodePrettily() + "\n");
      if (response.statusCode() != 200) {
        Files.writeString(dir.resolve("client-status.txt"), response.statusCode() + "\n");
      }
    }
  }

  private static int intOr(Path file, int fallback) throws IOException {
    return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : fallback;
  }

  /** Starts the pair's gateway on first use: a pair whose directory is empty starts nothing. */
  private static final class GatewayHolder {
    private final String provider;
    private final String extraFields;
    private Tollgate gateway;

    GatewayHolder(String provider, String extraFields) {
      this.provider = provider;
      this.extraFields = extraFields;
    }

    int port() {
      if (gateway == null) {
        String base = provider.equals("openai") ? upstream.baseUrl() + "/v1" : upstream.baseUrl();
        StringBuilder extra = new StringBuilder();
        String fields = extraFields.contains(SERVICE_ACCOUNT_KEY)
            ? extraFields.replace(SERVICE_ACCOUNT_KEY, serviceAccountKeyFile().toString()) : extraFields;
        fields.lines().filter(l -> !l.isBlank()).forEach(l -> extra.append("\n        ").append(l.trim()));
        String apiKey = fields.lines().anyMatch(l -> l.trim().startsWith("api_key:")) ? ""
            : "\n        api_key: \"${UPSTREAM_KEY}\"";
        gateway = TestGateway.start(TestGateway.writeConfig("""
            models:
              - name: conformance
                routing: {retries: 0}
                deployments:
                  - id: golden
                    provider: %s
                    base_url: "%s"
                    upstream_model: upstream-model%s%s
            """.formatted(provider, base, apiKey, extra)), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused",
            null);
      }
      return gateway.httpPort();
    }

    void close() {
      if (gateway != null) {
        gateway.close().await();
        gateway = null;
      }
    }
  }

  private static final String SERVICE_ACCOUNT_KEY = "{service_account_key}";
  private static Path serviceAccountKey;

  /**
   * A service-account key file made for this run (a fresh RSA key, nothing secret committed), its
   * token_uri the golden upstream's token endpoint.
   */
  private static synchronized Path serviceAccountKeyFile() {
    if (serviceAccountKey == null) {
      try {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Path file = Files.createTempFile("golden-sa-", ".json");
        file.toFile().deleteOnExit();
        Files.writeString(file, new JsonObject().put("type", "service_account").put("project_id", "golden-project")
            .put("private_key_id", "golden").put("private_key", pem)
            .put("client_email", "golden@golden-project.iam.gserviceaccount.com")
            .put("token_uri", upstream.baseUrl() + GoldenUpstream.TOKEN_PATH).encode());
        serviceAccountKey = file;
      } catch (Exception e) {
        throw new IllegalStateException("cannot write a test service-account key", e);
      }
    }
    return serviceAccountKey;
  }

  static {
    try {
      Files.createDirectories(ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
