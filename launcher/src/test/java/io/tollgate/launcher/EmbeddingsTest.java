package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /v1/embeddings through the OpenAI Java SDK to OpenAI-compatible, Azure, Gemini and mock upstreams")
class EmbeddingsTest {

  static final String RPM_KEY = "tg-test-emb-rpm-1-0000000000000000000000";
  static final String TPM_KEY = "tg-test-emb-tpm-20-000000000000000000000";
  static final String BUDGET_KEY = "tg-test-emb-budget-0000000000000000000000";

  static Vertx upstreams;
  static FakeEmbeddingsUpstream fake;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    fake = FakeEmbeddingsUpstream.start(upstreams);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: emb-openai
            deployments:
              - {id: emb-oai, provider: openai, base_url: "%1$s/v1", api_key: "${UPSTREAM_KEY}",
                 upstream_model: text-embedding-3-small, input_price_per_mtok: 0.02}
            # The other tests check each request's upstream call: only emb-cached caches (the default).
            cache: {enabled: false}
          - name: emb-cached
            deployments:
              - {id: emb-oai-cached, provider: openai, base_url: "%1$s/v1", api_key: "${UPSTREAM_KEY}",
                 upstream_model: text-embedding-3-small, input_price_per_mtok: 0.02}
          - name: emb-azure
            cache: {enabled: false}
            deployments:
              - {id: emb-az, provider: azure-openai, base_url: "%1$s", api_key: "${UPSTREAM_KEY}",
                 upstream_model: embed-prod, api_version: "2024-10-21"}
          - name: emb-gemini
            cache: {enabled: false}
            deployments:
              - {id: emb-gem, provider: gemini, base_url: "%1$s", api_key: "${UPSTREAM_KEY}",
                 upstream_model: gemini-embedding-001, input_price_per_mtok: 0.15}
          - name: emb-mixed
            cache: {enabled: false}
            deployments:
              - {id: mixed-claude, provider: anthropic, base_url: "%1$s", priority: 0}
              - {id: mixed-mock, provider: mock, priority: 1}
          - name: chat-only
            deployments:
              - {id: chat-only-1, provider: openai, base_url: "%1$s/v1", capabilities: [chat, streaming]}
          - name: pricey
            cache: {enabled: false}
            deployments:
              - {id: pricey-1, provider: mock, input_price_per_mtok: 1000}
        keys:
          - {name: test, secret: %2$s}
          - {name: rpm, secret: %3$s, rpm: 1}
          - {name: tpm, secret: %4$s, tpm: 20}
          - {name: budget, secret: %5$s, budget_usd: {total: 0.001}}
        """.formatted(fake.baseUrl(), TestGateway.KEY, RPM_KEY, TPM_KEY, BUDGET_KEY)));
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  @BeforeEach
  void clear() {
    fake.received.clear();
  }

  private static List<Float> floats(float[] v) {
    Float[] boxed = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      boxed[i] = v[i];
    }
    return List.of(boxed);
  }

  @Test
  @DisplayName("floats: vectors in input order (the upstream listed them backwards), its token count, the key as a bearer token")
  void floatsFromOpenAiCompatible() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("emb-openai")
        .inputOfArrayOfStrings(List.of("hello", "tollgate!")).build());

    assertThat(r.data()).extracting(Embedding::index).containsExactly(0L, 1L);
    assertThat(r.data().get(0).embedding()).isEqualTo(floats(FakeEmbeddingsUpstream.vector("hello", 4)));
    assertThat(r.data().get(1).embedding()).isEqualTo(floats(FakeEmbeddingsUpstream.vector("tollgate!", 4)));
    assertThat(r.model()).isEqualTo("emb-openai");
    assertThat(r.usage().promptTokens()).isEqualTo(2 * FakeEmbeddingsUpstream.TOKENS_PER_INPUT);
    assertThat(r.usage().totalTokens()).isEqualTo(2 * FakeEmbeddingsUpstream.TOKENS_PER_INPUT);
    FakeEmbeddingsUpstream.Received sent = fake.received.get(0);
    assertThat(sent.path()).isEqualTo("/v1/embeddings");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(sent.body().getString("model")).isEqualTo("text-embedding-3-small");
    assertThat(sent.body().getJsonArray("input")).isEqualTo(new JsonArray().add("hello").add("tollgate!"));
  }

  @Test
  @DisplayName("base64 with dimensions: forwarded upstream, and the SDK gets little-endian float32 that decodes to the vectors")
  void base64WithDimensions() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("emb-openai")
        .input("hello").dimensions(3).encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());

    String b64 = r.data().get(0).embeddingValue().asBase64();
    assertThat(FakeEmbeddingsUpstream.fromBase64(b64)).containsExactly(FakeEmbeddingsUpstream.vector("hello", 3));
    JsonObject sent = fake.received.get(0).body();
    assertThat(sent.getString("encoding_format")).isEqualTo("base64");
    assertThat(sent.getInteger("dimensions")).isEqualTo(3);
    assertThat(sent.getJsonArray("input")).isEqualTo(new JsonArray().add("hello"));
  }

  @Test
  @DisplayName("token-array inputs go upstream as token arrays")
  void tokenArrays() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("emb-openai")
        .inputOfArrayOfTokenArrays(List.of(List.of(15339L, 1917L), List.of(42L))).build());
    assertThat(r.data()).hasSize(2);
    assertThat(fake.received.get(0).body().getJsonArray("input"))
        .isEqualTo(new JsonArray("[[15339,1917],[42]]"));
  }

  @Test
  @DisplayName("Azure: the deployment URL with api-version and the api-key header")
  void azure() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("emb-azure")
        .input("hello").build());
    assertThat(r.data().get(0).embedding()).isEqualTo(floats(FakeEmbeddingsUpstream.vector("hello", 4)));
    FakeEmbeddingsUpstream.Received sent = fake.received.get(0);
    assertThat(sent.path()).isEqualTo("/openai/deployments/embed-prod/embeddings");
    assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
    assertThat(sent.headers().get("api-key")).isEqualTo(FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(sent.headers().get("authorization")).isNull();
  }

  @Test
  @DisplayName("Gemini: batchEmbedContents with one request per input and outputDimensionality; usage estimated and billed")
  void gemini() throws Exception {
    HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-gemini").inputOfArrayOfStrings(List.of("hello", "tollgate!"))
            .dimensions(8).build());
    CreateEmbeddingResponse r = raw.parse();

    assertThat(r.data().get(0).embedding()).isEqualTo(floats(FakeEmbeddingsUpstream.vector("hello", 8)));
    assertThat(r.data().get(1).embedding()).isEqualTo(floats(FakeEmbeddingsUpstream.vector("tollgate!", 8)));
    // Gemini counts nothing: the gateway's estimate, four characters a token rounded up: 2 + 3.
    assertThat(r.usage().promptTokens()).isEqualTo(5);
    FakeEmbeddingsUpstream.Received sent = fake.received.get(0);
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(sent.body()).isEqualTo(new JsonObject("""
        {"requests":[
          {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"hello"}]},"outputDimensionality":8},
          {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"tollgate!"}]},"outputDimensionality":8}]}
        """));

    String id = raw.headers().values("x-request-id").get(0);
    JsonObject record = LedgerChecks.awaitRecords(gateway, List.of(id), 20).get(id);
    assertThat(record.getString("status")).isEqualTo("ok");
    assertThat(record.getString("deployment_id")).isEqualTo("emb-gem");
    assertThat(record.getLong("prompt_tokens")).isEqualTo(5);
    assertThat(record.getLong("completion_tokens")).isZero();
    assertThat(record.getBoolean("estimated")).isTrue();
    assertThat(new BigDecimal(record.getString("cost_usd"))).isEqualByComparingTo("0.00000075");
  }

  @Test
  @DisplayName("the ledger has the upstream's input tokens, no completion tokens, and the cost at the input price")
  void ledger() throws Exception {
    HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-openai").input("billed").build());
    raw.parse();
    String id = raw.headers().values("x-request-id").get(0);
    JsonObject record = LedgerChecks.awaitRecords(gateway, List.of(id), 20).get(id);
    assertThat(record.getString("model")).isEqualTo("emb-openai");
    assertThat(record.getLong("prompt_tokens")).isEqualTo(FakeEmbeddingsUpstream.TOKENS_PER_INPUT);
    assertThat(record.getLong("completion_tokens")).isZero();
    assertThat(record.getBoolean("estimated")).isFalse();
    // 7 tokens x $0.02 per million
    assertThat(new BigDecimal(record.getString("cost_usd"))).isEqualByComparingTo("0.00000014");
  }

  @Test
  @DisplayName("the mock answers deterministic unit vectors, and a deployment without embeddings is skipped for it")
  void mockAndSkip() {
    HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-mixed").inputOfArrayOfStrings(List.of("same", "same", "other"))
            .build());
    CreateEmbeddingResponse r = raw.parse();
    assertThat(raw.headers().values("x-tollgate-route")).containsExactly("mixed-mock");
    List<Float> a = r.data().get(0).embedding();
    assertThat(a).hasSize(16).isEqualTo(r.data().get(1).embedding()).isNotEqualTo(r.data().get(2).embedding());
    double norm = a.stream().mapToDouble(f -> f * f).sum();
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(client.embeddings().create(EmbeddingCreateParams.builder().model("emb-mixed").input("same").build())
        .data().get(0).embedding()).isEqualTo(a);
  }

  @Test
  @DisplayName("embeddings from a model whose deployments cannot embed, tools to a [chat] deployment: 400 naming the capability")
  void capabilityRefusals() {
    assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("chat-only")
        .input("x").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.code()).contains("capability_not_supported");
          assertThat(e.getMessage()).contains("'embeddings'");
        });
    Map<String, Object> body = Map.of("model", "chat-only", "messages", List.of(Map.of("role", "user",
        "content", "weather?")), "tools", List.of(Map.of("type", "function", "function",
        Map.of("name", "get_weather", "parameters", Map.of("type", "object")))));
    HttpResponse<String> r = post("/v1/chat/completions", TestGateway.KEY, new JsonObject(body).encode());
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("code")).isEqualTo("capability_not_supported");
    assertThat(error.getString("message")).contains("'tools'");
    assertThat(fake.received).as("nothing was sent upstream").isEmpty();
  }

  @Test
  @DisplayName("bad input: a 400 in OpenAI's envelope naming the field")
  void badInput() {
    for (String[] c : new String[][] {
        {"{\"model\":\"emb-openai\",\"input\":[]}", "input"},
        {"{\"model\":\"emb-openai\",\"input\":\"\"}", "input"},
        {"{\"model\":\"emb-openai\",\"input\":[\"a\",1]}", "input[1]"},
        {"{\"model\":\"emb-openai\",\"input\":[[1,-2]]}", "input[0][1]"},
        {"{\"model\":\"emb-openai\",\"input\":\"a\",\"encoding_format\":\"int8\"}", "encoding_format"},
        {"{\"model\":\"emb-openai\",\"input\":\"a\",\"dimensions\":0}", "dimensions"},
        {"{\"input\":\"a\"}", "model"}}) {
      HttpResponse<String> r = post("/v1/embeddings", TestGateway.KEY, c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("param")).as(c[0]).isEqualTo(c[1]);
    }
    HttpResponse<String> noKey = post("/v1/embeddings", null, "{}");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(noKey.body()).getJsonObject("error").getString("code")).isEqualTo("missing_api_key");
    assertThat(fake.received).isEmpty();
  }

  @Test
  @DisplayName("limits apply: rpm counts embeddings requests, tpm their input tokens, budgets their input cost")
  void limits() {
    OpenAIClient rpm = TestGateway.openAi(gateway.httpPort(), RPM_KEY);
    rpm.embeddings().create(EmbeddingCreateParams.builder().model("emb-mixed").input("one").build());
    assertThatThrownBy(() -> rpm.embeddings().create(EmbeddingCreateParams.builder().model("emb-mixed")
        .input("two").build())).isInstanceOf(RateLimitException.class);

    OpenAIClient tpm = TestGateway.openAi(gateway.httpPort(), TPM_KEY);
    tpm.embeddings().create(EmbeddingCreateParams.builder().model("emb-mixed").input("short").build());
    // 100 characters: about 25 tokens, over the key's 20 a minute on its own.
    assertThatThrownBy(() -> tpm.embeddings().create(EmbeddingCreateParams.builder().model("emb-mixed")
        .input("x".repeat(100)).build()))
        .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.getMessage()).containsIgnoringCase("token"));

    // $1000 per million input tokens: 12 tokens cost $0.012, over a $0.001 budget.
    OpenAIClient budget = TestGateway.openAi(gateway.httpPort(), BUDGET_KEY);
    assertThatThrownBy(() -> budget.embeddings().create(EmbeddingCreateParams.builder().model("pricey")
        .input("y".repeat(48)).build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
  }

  @Test
  @DisplayName("the embedding cache: a repeat is a hit without an upstream call or cost, a batch sends only its "
      + "uncached inputs, other dimensions and other tenants are misses")
  void embeddingCache() throws Exception {
    String a = "cache me " + java.util.UUID.randomUUID();
    String b = "and me " + java.util.UUID.randomUUID();
    HttpResponseFor<CreateEmbeddingResponse> first = client.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-cached").input(a).build());
    assertThat(first.headers().values("x-tollgate-cache")).containsExactly("miss");
    List<Float> vectorA = first.parse().data().get(0).embedding();
    assertThat(fake.received).hasSize(1);

    // The same input again: from the cache, byte for byte, nothing upstream, zero usage.
    HttpResponseFor<CreateEmbeddingResponse> again = client.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-cached").input(a).build());
    assertThat(again.headers().values("x-tollgate-cache")).containsExactly("hit");
    CreateEmbeddingResponse hit = again.parse();
    assertThat(hit.data().get(0).embedding()).isEqualTo(vectorA);
    assertThat(hit.usage().promptTokens()).isZero();
    assertThat(fake.received).hasSize(1);

    // A batch of [b, a]: only b goes upstream; the answer keeps the client's order.
    HttpResponseFor<CreateEmbeddingResponse> batch = client.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-cached").inputOfArrayOfStrings(List.of(b, a)).build());
    assertThat(batch.headers().values("x-tollgate-cache")).containsExactly("miss");
    CreateEmbeddingResponse both = batch.parse();
    assertThat(both.data().get(0).embedding()).isEqualTo(floats(FakeEmbeddingsUpstream.vector(b, 4)));
    assertThat(both.data().get(1).embedding()).isEqualTo(vectorA);
    assertThat(both.usage().promptTokens()).isEqualTo(FakeEmbeddingsUpstream.TOKENS_PER_INPUT);
    assertThat(fake.received).hasSize(2);
    assertThat(fake.received.get(1).body().getJsonArray("input")).isEqualTo(new JsonArray().add(b));

    // Other dimensions are another vector: a miss.
    client.embeddings().create(EmbeddingCreateParams.builder().model("emb-cached").input(a).dimensions(3).build());
    assertThat(fake.received).hasSize(3);

    // The hit is in the ledger as a hit at zero cost; the miss at its price.
    String hitId = again.headers().values("x-request-id").get(0);
    JsonObject hitRecord = LedgerChecks.awaitRecords(gateway, List.of(hitId), 20).get(hitId);
    assertThat(hitRecord.getBoolean("cache_hit")).isTrue();
    assertThat(new BigDecimal(hitRecord.getString("cost_usd"))).isEqualByComparingTo("0");

    // Another tenant asking the same never sees this tenant's entry.
    String tenant = adminPost("/admin/v1/tenants", new JsonObject().put("name", "emb-other-" + System.nanoTime()))
        .getString("id");
    String otherKey = adminPost("/admin/v1/keys", new JsonObject().put("tenant_id", tenant).put("name", "k"))
        .getString("key");
    OpenAIClient other = TestGateway.openAi(gateway.httpPort(), otherKey);
    HttpResponseFor<CreateEmbeddingResponse> theirs = awaitKey(() -> other.embeddings().withRawResponse().create(
        EmbeddingCreateParams.builder().model("emb-cached").input(a).build()));
    assertThat(theirs.headers().values("x-tollgate-cache")).containsExactly("miss");
    assertThat(fake.received).hasSize(4);
  }

  private static JsonObject adminPost(String path, JsonObject body) {
    TestGateway.AdminResponse r = TestGateway.admin(gateway, "POST", path, body);
    assertThat(r.status()).as(r.body().encode()).isBetween(200, 201);
    return r.body();
  }

  /** A key made through the admin API reaches the edge within a second: retry until it does. */
  private static <T> T awaitKey(java.util.function.Supplier<T> call) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return call.get();
      } catch (com.openai.errors.UnauthorizedException e) {
        if (i > 100) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static HttpResponse<String> post(String path, String key, String body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      if (key != null) {
        b.header("authorization", "Bearer " + key);
      }
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
