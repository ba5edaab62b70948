package io.tollgate.connector.cohere;

import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.api.ops.RerankResult;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.UnaryExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rerank call in the deployment's dialect ({@link CohereEndpoint.Wire}). Object documents go to
 * Jina as sent; Cohere v2, vLLM and TEI take strings, so an object is sent as its {@code text} field
 * when it has one, else as its compact JSON (Cohere's advice for structured documents is a string
 * rendering of them). The edge keeps the documents: Jina is asked not to echo them back.
 * Whatever order and length the upstream answers in, the result is sorted by relevance and cut to
 * {@code top_n} ({@link RerankRanking}).
 */
final class CohereRerankExchange extends UnaryExchange {

  private final CohereEndpoint endpoint;

  CohereRerankExchange(ProviderContext context, CohereEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  private CohereEndpoint.Wire wire() {
    return CohereEndpoint.Wire.of(call.call().deployment());
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    return endpoint.requestOptions(deployment, credential);
  }

  @Override
  protected Buffer requestBody() {
    RerankRequest r = payload(RerankRequest.class);
    CohereEndpoint.Wire wire = wire();
    JsonObject body = new JsonObject();
    for (Map.Entry<String, RawJson> x : r.extra().entrySet()) {
      body.put(x.getKey(), Json.decodeValue(x.getValue().json()));
    }
    body.put("query", r.query());
    JsonArray documents = new JsonArray();
    for (RerankRequest.Document d : r.documents()) {
      documents.add(wire == CohereEndpoint.Wire.JINA && d.object() != null
          ? new JsonObject(d.object().json()) : text(d));
    }
    if (wire == CohereEndpoint.Wire.TEI) {
      body.put("texts", documents);
      return body.toBuffer();
    }
    body.put("model", upstreamModel()).put("documents", documents);
    if (r.topN() != null) {
      body.put("top_n", r.topN());
    }
    if (wire == CohereEndpoint.Wire.JINA) {
      body.put("return_documents", false);
    }
    return body.toBuffer();
  }

  /** A document as a string: itself, an object's {@code text}, else the object's JSON. */
  static String text(RerankRequest.Document d) {
    if (d.text() != null) {
      return d.text();
    }
    Object text = new JsonObject(d.object().json()).getValue("text");
    return text instanceof String s ? s : d.object().json();
  }

  @Override
  protected String errorMessage(Buffer body) {
    try {
      Object json = Json.decodeValue(body);
      if (json instanceof JsonObject o) {
        for (String key : new String[] {"message", "detail", "error"}) {
          Object v = o.getValue(key);
          if (v instanceof JsonObject nested && nested.getValue("message") instanceof String m) {
            return m;
          }
          if (v != null) {
            return String.valueOf(v);
          }
        }
      }
    } catch (RuntimeException notJson) {
      // fall through: the raw text is logged
    }
    return body.toString();
  }

  /** TEI answers a bare array; the others an object. */
  @Override
  protected void onWholeBody(Buffer bytes) {
    Object json = Json.decodeValue(bytes);
    if (json instanceof JsonArray array && wire() == CohereEndpoint.Wire.TEI) {
      report(hits(array, "score"), null);
    } else if (json instanceof JsonObject object) {
      onWhole(object);
    } else {
      throw malformed("neither a JSON object nor a TEI array");
    }
    call.complete();
  }

  @Override
  protected void onWhole(JsonObject body) {
    JsonArray results = body.getJsonArray("results");
    if (results == null) {
      throw malformed("no results");
    }
    Long tokens;
    if (wire() == CohereEndpoint.Wire.COHERE) {
      JsonObject meta = body.getJsonObject("meta");
      JsonObject counted = meta == null ? null : meta.getJsonObject("tokens");
      tokens = counted == null ? null : counted.getLong("input_tokens");
    } else {
      JsonObject usage = body.getJsonObject("usage");
      tokens = usage == null ? null : usage.getLong("prompt_tokens", usage.getLong("total_tokens"));
    }
    report(hits(results, "relevance_score"), tokens);
  }

  private void report(List<RerankResult.Hit> hits, Long promptTokens) {
    RerankRequest r = payload(RerankRequest.class);
    call.result(RerankRanking.ranked(hits, r.documents().size(), r.topN()));
    call.usage(promptTokens != null ? new Usage(promptTokens, 0, 0, 0, false)
        : new Usage(r.estimatedPromptTokens(), 0, 0, 0, true));
  }

  private static List<RerankResult.Hit> hits(JsonArray results, String scoreField) {
    List<RerankResult.Hit> hits = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      if (!(results.getValue(i) instanceof JsonObject item) || !(item.getValue("index") instanceof Number index)
          || !(item.getValue(scoreField) instanceof Number score)) {
        throw malformed("result " + i + " has no index or " + scoreField);
      }
      hits.add(new RerankResult.Hit(index.intValue(), score.doubleValue()));
    }
    return hits;
  }
}
