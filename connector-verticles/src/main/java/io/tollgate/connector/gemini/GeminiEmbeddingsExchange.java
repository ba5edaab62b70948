package io.tollgate.connector.gemini;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from Gemini: {@code POST .../models/{model}:batchEmbedContents} with one
 * {@code EmbedContentRequest} per input ({@code content.parts[].text}, {@code outputDimensionality}
 * from {@code dimensions}); the answer's {@code embeddings[].values} come in input order. Gemini
 * counts no tokens for embeddings, so usage is the gateway's estimate, marked estimated (a
 * {@code usageMetadata.promptTokenCount}, if Google ever sends one, wins). Token-array inputs and
 * OpenAI-only parameters have no Gemini equivalent: a 400 naming them.
 */
final class GeminiEmbeddingsExchange extends UnaryExchange {

  private final GeminiEndpoint endpoint;

  GeminiEmbeddingsExchange(ProviderContext context, GeminiEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    return endpoint.requestOptions(deployment, call.call().model(), credential)
        .setAbsoluteURI(endpoint.batchEmbedUrl(deployment, call.call().model()));
  }

  @Override
  protected Buffer requestBody() {
    EmbeddingsRequest e = embeddings();
    if (!e.tokens().isEmpty()) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST,
          "Token-array inputs cannot be sent to this model's gemini upstream; send the text.", "input");
    }
    if (!e.extra().isEmpty()) {
      throw Untranslatable.parameter(e.extra().keySet().iterator().next(), Dialect.OPENAI_CHAT, "gemini");
    }
    String model = "models/" + GeminiEndpoint.modelName(call.call().deployment(), call.call().model());
    JsonArray requests = new JsonArray();
    for (String text : e.texts()) {
      JsonObject r = new JsonObject().put("model", model)
          .put("content", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", text))));
      if (e.dimensions() != null) {
        r.put("outputDimensionality", e.dimensions());
      }
      requests.add(r);
    }
    return new JsonObject().put("requests", requests).toBuffer();
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
    JsonArray embeddings = body.getJsonArray("embeddings");
    if (embeddings == null || embeddings.size() != request.inputCount()) {
      throw malformed((embeddings == null ? 0 : embeddings.size()) + " embeddings for "
          + request.inputCount() + " inputs");
    }
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (int i = 0; i < embeddings.size(); i++) {
      JsonArray values = embeddings.getJsonObject(i).getJsonArray("values");
      if (values == null) {
        throw malformed("embedding " + i + " has no values");
      }
      vectors.add(GeminiResponseMapper.floats(values));
    }
    call.result(new EmbeddingsResult(vectors));
    JsonObject meta = body.getJsonObject("usageMetadata");
    Long counted = meta == null ? null : meta.getLong("promptTokenCount");
    call.usage(counted != null ? new Usage(counted, 0, 0, 0, false)
        : new Usage(request.estimatedPromptTokens(), 0, 0, 0, true));
  }
}
