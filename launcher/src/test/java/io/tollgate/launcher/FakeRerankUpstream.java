package io.tollgate.launcher;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server speaking three documented rerank wire formats. Cohere v2, {@code POST /v2/rerank}:
 * {@code {model, query, documents: [string], top_n}} answered {@code {id, results:[{index,
 * relevance_score}], meta:{api_version, billed_units:{search_units}}}}, most relevant first, cut to
 * top_n (no token count, as Cohere's rerank bills search units). Jina, {@code POST /jina/v1/rerank}:
 * documents as strings or objects, answered {@code {model, usage:{total_tokens}, results:[{index,
 * relevance_score, document?}]}}. TEI, {@code POST /tei/rerank}: {@code {query, texts}} answered by a
 * bare array {@code [{index, score}]} in document order, with no top_n (TEI has none).
 * A document's score: the share of the query's words it contains.
 */
final class FakeRerankUpstream {

  record Received(String path, MultiMap headers, JsonObject body) {
  }

  /** What the Jina-shaped answer reports as usage: not the gateway's estimate, so the test sees whose count won. */
  static final int JINA_TOKENS = 33;

  final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static FakeRerankUpstream start(Vertx vertx) {
    FakeRerankUpstream fake = new FakeRerankUpstream();
    fake.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(fake::handle);
    fake.server.listen().await();
    return fake;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  static double score(String query, String document) {
    Set<String> q = words(query);
    Set<String> d = words(document);
    return q.stream().filter(d::contains).count() / (double) q.size();
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      received.add(new Received(req.path(), req.headers(), body));
      Object answer = switch (req.path()) {
        case "/v2/rerank" -> cohere(body);
        case "/jina/v1/rerank" -> jina(body);
        case "/tei/rerank" -> tei(body);
        default -> null;
      };
      if (answer == null) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.response().putHeader("content-type", "application/json")
          .end(answer instanceof JsonArray a ? a.toBuffer() : ((JsonObject) answer).toBuffer());
    });
  }

  private static List<JsonObject> ranked(String query, JsonArray docs, Integer topN, String scoreField) {
    List<JsonObject> hits = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Object d = docs.getValue(i);
      String text = d instanceof JsonObject o ? o.getString("text") : (String) d;
      hits.add(new JsonObject().put("index", i).put(scoreField, score(query, text)));
    }
    hits.sort(Comparator.comparingDouble((JsonObject h) -> h.getDouble(scoreField)).reversed());
    return topN == null ? hits : hits.subList(0, Math.min(topN, hits.size()));
  }

  private static JsonObject cohere(JsonObject body) {
    JsonArray results = new JsonArray(new ArrayList<>(ranked(body.getString("query"), body.getJsonArray("documents"),
        body.getInteger("top_n"), "relevance_score")));
    return new JsonObject().put("id", "07734bd2-2473-4f07-94e1-0d9f0e6843cf").put("results", results)
        .put("meta", new JsonObject().put("api_version", new JsonObject().put("version", "2"))
            .put("billed_units", new JsonObject().put("search_units", 1)));
  }

  private static JsonObject jina(JsonObject body) {
    JsonArray results = new JsonArray(new ArrayList<>(ranked(body.getString("query"), body.getJsonArray("documents"),
        body.getInteger("top_n"), "relevance_score")));
    return new JsonObject().put("model", body.getString("model")).put("results", results)
        .put("usage", new JsonObject().put("total_tokens", JINA_TOKENS));
  }

  private static JsonArray tei(JsonObject body) {
    JsonArray texts = body.getJsonArray("texts");
    JsonArray out = new JsonArray();
    for (int i = 0; i < texts.size(); i++) {
      out.add(new JsonObject().put("index", i).put("score", score(body.getString("query"), texts.getString(i))));
    }
    return out;
  }
}
