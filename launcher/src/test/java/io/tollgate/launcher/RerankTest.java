package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /v1/rerank through a plain HTTP client to Cohere v2, Jina, TEI and mock upstreams")
class RerankTest {

  static final String RPM_KEY = "tg-test-rerank-rpm-1-00000000000000000000";
  static final String QUERY = "cat on the mat";
  /** Scores for QUERY: 1.0, 0, 0.25, 0.5, so the ranking is 0, 3, 2, 1. */
  static final JsonArray DOCUMENTS = new JsonArray().add("the cat sat on the mat").add("dogs chase cats")
      .add("a cat and a dog").add(new JsonObject().put("text", "the mat").put("id", "d3"));

  static Vertx upstreams;
  static FakeRerankUpstream fake;
  static Tollgate gateway;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    fake = FakeRerankUpstream.start(upstreams);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: rr-cohere
            deployments:
              - {id: rr-co, provider: cohere, base_url: "%1$s", api_key: "${UPSTREAM_KEY}",
                 upstream_model: rerank-v3.5, input_price_per_mtok: 2}
          - name: rr-jina
            deployments:
              - {id: rr-jina-1, provider: cohere, preset: jina, base_url: "%1$s/jina/v1", api_key: "${UPSTREAM_KEY}",
                 upstream_model: jina-reranker-v2-base-multilingual, input_price_per_mtok: 0.02}
          - name: rr-tei
            deployments:
              - {id: rr-tei-1, provider: cohere, preset: tei, base_url: "%1$s/tei"}
          - name: rr-mock
            deployments:
              - {id: rr-mock-1, provider: mock}
          - name: chat-only
            deployments:
              - {id: chat-only-1, provider: openai, base_url: "%1$s/v1", capabilities: [chat, streaming]}
        keys:
          - {name: test, secret: %2$s}
          - {name: rpm, secret: %3$s, rpm: 1}
        """.formatted(fake.baseUrl(), TestGateway.KEY, RPM_KEY)));
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

  /** The gateway's estimate: the query counts once per document, four characters a token rounded up. */
  static long estimate() {
    long q = (QUERY.length() + 3) / 4;
    long total = 0;
    for (Object d : DOCUMENTS) {
      String text = d instanceof JsonObject o ? o.encode() : (String) d;
      total += q + (text.length() + 3) / 4;
    }
    return total;
  }

  static JsonObject request(String model) {
    return new JsonObject().put("model", model).put("query", QUERY).put("documents", DOCUMENTS.copy());
  }

  private static List<Integer> indexes(JsonObject answer) {
    return answer.getJsonArray("results").stream().map(r -> ((JsonObject) r).getInteger("index")).toList();
  }

  @Test
  @DisplayName("Cohere v2: strings upstream (an object as its text), top_n and return_documents, usage estimated and billed")
  void cohere() throws Exception {
    HttpResponse<String> r = post("/v1/rerank", TestGateway.KEY, request("rr-cohere").put("top_n", 2)
        .put("return_documents", true).encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(r.body());
    assertThat(indexes(answer)).containsExactly(0, 3);
    JsonObject first = answer.getJsonArray("results").getJsonObject(0);
    assertThat(first.getDouble("relevance_score")).isEqualTo(1.0);
    assertThat(first.getJsonObject("document")).isEqualTo(new JsonObject().put("text", "the cat sat on the mat"));
    assertThat(answer.getJsonArray("results").getJsonObject(1).getJsonObject("document"))
        .isEqualTo(new JsonObject().put("text", "the mat").put("id", "d3"));
    assertThat(answer.getString("model")).isEqualTo("rr-cohere");
    assertThat(answer.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(estimate());

    FakeRerankUpstream.Received sent = fake.received.get(0);
    assertThat(sent.path()).isEqualTo("/v2/rerank");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(sent.body()).isEqualTo(new JsonObject().put("query", QUERY).put("model", "rerank-v3.5")
        .put("documents", new JsonArray().add("the cat sat on the mat").add("dogs chase cats").add("a cat and a dog")
            .add("the mat")).put("top_n", 2));

    String id = r.headers().firstValue("x-request-id").orElseThrow();
    JsonObject record = LedgerChecks.awaitRecords(gateway, List.of(id), 20).get(id);
    assertThat(record.getString("status")).isEqualTo("ok");
    assertThat(record.getString("deployment_id")).isEqualTo("rr-co");
    assertThat(record.getLong("prompt_tokens")).isEqualTo(estimate());
    assertThat(record.getLong("completion_tokens")).isZero();
    assertThat(record.getBoolean("estimated")).isTrue();
    assertThat(new BigDecimal(record.getString("cost_usd")))
        .isEqualByComparingTo(BigDecimal.valueOf(estimate() * 2).movePointLeft(6));
  }

  @Test
  @DisplayName("Jina: objects go as sent, documents not asked back, every result ranked, the upstream's token count in answer and ledger")
  void jina() throws Exception {
    HttpResponse<String> r = post("/v1/rerank", TestGateway.KEY, request("rr-jina").encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(r.body());
    assertThat(indexes(answer)).containsExactly(0, 3, 2, 1);
    assertThat(answer.getJsonArray("results").getJsonObject(0).containsKey("document")).isFalse();
    assertThat(answer.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(FakeRerankUpstream.JINA_TOKENS);

    JsonObject sent = fake.received.get(0).body();
    assertThat(fake.received.get(0).path()).isEqualTo("/jina/v1/rerank");
    assertThat(sent.getJsonArray("documents")).isEqualTo(DOCUMENTS);
    assertThat(sent.getBoolean("return_documents")).isFalse();
    assertThat(sent.getString("model")).isEqualTo("jina-reranker-v2-base-multilingual");

    String id = r.headers().firstValue("x-request-id").orElseThrow();
    JsonObject record = LedgerChecks.awaitRecords(gateway, List.of(id), 20).get(id);
    assertThat(record.getLong("prompt_tokens")).isEqualTo(FakeRerankUpstream.JINA_TOKENS);
    assertThat(record.getBoolean("estimated")).isFalse();
  }

  @Test
  @DisplayName("TEI: {query, texts} upstream; its bare array in document order comes back sorted and cut to top_n")
  void tei() {
    HttpResponse<String> r = post("/v1/rerank", TestGateway.KEY, request("rr-tei").put("top_n", 3)
        .put("return_documents", true).encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(r.body());
    assertThat(indexes(answer)).containsExactly(0, 3, 2);
    assertThat(answer.getJsonArray("results").getJsonObject(2).getDouble("relevance_score")).isEqualTo(0.25);
    assertThat(answer.getJsonArray("results").getJsonObject(2).getJsonObject("document").getString("text"))
        .isEqualTo("a cat and a dog");
    FakeRerankUpstream.Received sent = fake.received.get(0);
    assertThat(sent.path()).isEqualTo("/tei/rerank");
    assertThat(sent.headers().get("authorization")).isNull();
    assertThat(sent.body()).isEqualTo(new JsonObject().put("query", QUERY).put("texts", new JsonArray()
        .add("the cat sat on the mat").add("dogs chase cats").add("a cat and a dog").add("the mat")));
  }

  @Test
  @DisplayName("the mock ranks by word overlap, the same way every time")
  void mock() {
    HttpResponse<String> r = post("/v1/rerank", TestGateway.KEY, request("rr-mock").encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(indexes(new JsonObject(r.body()))).containsExactly(0, 3, 2, 1);
  }

  @Test
  @DisplayName("rerank to a chat-only model: 400 capability_not_supported naming 'rerank', nothing sent upstream")
  void capabilityRefusal() {
    HttpResponse<String> r = post("/v1/rerank", TestGateway.KEY, request("chat-only").encode());
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("capability_not_supported");
    assertThat(error.getString("message")).contains("'rerank'");
    assertThat(fake.received).isEmpty();
  }

  @Test
  @DisplayName("bad input: a 400 in OpenAI's envelope naming the field")
  void badInput() {
    for (String[] c : new String[][] {
        {"{\"model\":\"rr-mock\",\"documents\":[\"a\"]}", "query"},
        {"{\"model\":\"rr-mock\",\"query\":\"q\",\"documents\":[]}", "documents"},
        {"{\"model\":\"rr-mock\",\"query\":\"q\"}", "documents"},
        {"{\"model\":\"rr-mock\",\"query\":\"q\",\"documents\":[\"a\",1]}", "documents[1]"},
        {"{\"model\":\"rr-mock\",\"query\":\"q\",\"documents\":[{\"text\":2}]}", "documents[0].text"},
        {"{\"model\":\"rr-mock\",\"query\":\"q\",\"documents\":[\"a\"],\"top_n\":0}", "top_n"},
        {"{\"model\":\"rr-mock\",\"query\":\"q\",\"documents\":[\"a\"],\"return_documents\":\"yes\"}",
            "return_documents"},
        {"{\"query\":\"q\",\"documents\":[\"a\"]}", "model"}}) {
      HttpResponse<String> r = post("/v1/rerank", TestGateway.KEY, c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("param")).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(post("/v1/rerank", null, "{}").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("limits apply: rpm counts rerank requests")
  void limits() {
    assertThat(post("/v1/rerank", RPM_KEY, request("rr-mock").encode()).statusCode()).isEqualTo(200);
    HttpResponse<String> second = post("/v1/rerank", RPM_KEY, request("rr-mock").encode());
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(second.body()).getJsonObject("error").getString("type")).isNotBlank();
  }

  static HttpResponse<String> post(String path, String key, String body) {
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
