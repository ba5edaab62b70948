package io.tollgate.connector.vertex;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.UnaryExchange;
import io.tollgate.connector.Untranslatable;
import io.tollgate.connector.gemini.GeminiResponseMapper;
import io.tollgate.connector.oauth.GoogleTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from Vertex AI's text-embedding models ({@code text-embedding-005},
 * {@code gemini-embedding-001} ...): {@code POST .../publishers/google/models/{model}:predict} with
 * {@code instances[{content}]} and {@code parameters.outputDimensionality} from {@code dimensions},
 * on the chat exchange's token path. The answer's {@code predictions[].embeddings.values} come in
 * input order; usage is the sum of their {@code statistics.token_count}, else the gateway's
 * estimate marked estimated. Token-array inputs and OpenAI-only parameters are a 400 naming them.
 */
final class VertexEmbeddingsExchange extends UnaryExchange {

  private final VertexEndpoint endpoint;
  private String project;

  VertexEmbeddingsExchange(ProviderContext context, VertexEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  @Override
  protected Future<String> authorize(DeploymentConfig deployment, String keyJson) {
    project = VertexExchange.project(deployment, keyJson);
    return keyJson == null ? Future.succeededFuture(null) : GoogleTokens.token(context, deployment, keyJson);
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String token) {
    return endpoint.requestOptions(deployment, call.call().model(), project, token)
        .setAbsoluteURI(endpoint.predictUrl(deployment, call.call().model(), project.trim()));
  }

  @Override
  protected Buffer requestBody() {
    EmbeddingsRequest e = embeddings();
    if (!e.tokens().isEmpty()) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST,
          "Token-array inputs cannot be sent to this model's vertex upstream; send the text.", "input");
    }
    if (!e.extra().isEmpty()) {
      throw Untranslatable.parameter(e.extra().keySet().iterator().next(), Dialect.OPENAI_CHAT, "vertex");
    }
    JsonArray instances = new JsonArray();
    for (String text : e.texts()) {
      instances.add(new JsonObject().put("content", text));
    }
    JsonObject body = new JsonObject().put("instances", instances);
    if (e.dimensions() != null) {
      body.put("parameters", new JsonObject().put("outputDimensionality", e.dimensions()));
    }
    return body.toBuffer();
  }

  @Override
  protected String errorMessage(Buffer body) {
    return GeminiResponseMapper.errorMessage(body);
  }

  @Override
  protected GatewayException statusFailure(int status, Buffer body) {
    return GeminiResponseMapper.statusFailure(status, body);
  }

  @Override
  protected void onWhole(JsonObject body) {
    EmbeddingsRequest request = embeddings();
    JsonArray predictions = body.getJsonArray("predictions");
    if (predictions == null || predictions.size() != request.inputCount()) {
      throw malformed((predictions == null ? 0 : predictions.size()) + " predictions for "
          + request.inputCount() + " inputs");
    }
    List<float[]> vectors = new ArrayList<>(predictions.size());
    long tokens = 0;
    boolean counted = true;
    for (int i = 0; i < predictions.size(); i++) {
      JsonObject embeddings = predictions.getJsonObject(i).getJsonObject("embeddings");
      JsonArray values = embeddings == null ? null : embeddings.getJsonArray("values");
      if (values == null) {
        throw malformed("prediction " + i + " has no embeddings.values");
      }
      vectors.add(GeminiResponseMapper.floats(values));
      JsonObject stats = embeddings.getJsonObject("statistics");
      Number count = stats == null ? null : stats.getNumber("token_count");
      if (count == null) {
        counted = false;
      } else {
        tokens += count.longValue();
      }
    }
    call.result(new EmbeddingsResult(vectors));
    call.usage(counted ? new Usage(tokens, 0, 0, 0, false)
        : new Usage(request.estimatedPromptTokens(), 0, 0, 0, true));
  }
}
