package io.tollgate.connector.openai;

import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.api.ops.Float32Base64;
import io.tollgate.api.GatewayException;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.UnaryExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code POST {base_url}/embeddings} on an OpenAI-compatible upstream (Azure's URLs through its
 * endpoint). Inputs go as an array (of strings or of token arrays); {@code encoding_format: base64}
 * is forwarded when the client asked for it (a quarter of the bytes), and either answer is read
 * back into floats: base64 is little-endian float32, as OpenAI sends it.
 */
final class OpenAiEmbeddingsExchange extends UnaryExchange {

  private final OpenAiEndpoint endpoint;

  OpenAiEmbeddingsExchange(ProviderContext context, OpenAiEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    // The chat request's options carry the endpoint's auth headers (bearer, Azure's api-key); only the URL differs.
    return endpoint.requestOptions(deployment, credential).setAbsoluteURI(endpoint.embeddingsUrl(deployment));
  }

  @Override
  protected Buffer requestBody() {
    EmbeddingsRequest e = embeddings();
    JsonObject body = new JsonObject();
    for (Map.Entry<String, RawJson> x : e.extra().entrySet()) {
      body.put(x.getKey(), Json.decodeValue(x.getValue().json()));
    }
    body.put("model", upstreamModel());
    body.put("input", e.texts().isEmpty() ? new JsonArray(List.copyOf(e.tokens())) : new JsonArray(e.texts()));
    if (e.encodingFormat() == EmbeddingsRequest.EncodingFormat.BASE64) {
      body.put("encoding_format", "base64");
    }
    if (e.dimensions() != null) {
      body.put("dimensions", e.dimensions());
    }
    if (e.user() != null) {
      body.put("user", e.user());
    }
    return body.toBuffer();
  }

  @Override
  protected GatewayException statusFailure(int status, Buffer body) {
    return endpoint.failure(status, body);
  }

  @Override
  protected String errorMessage(Buffer body) {
    return OpenAiResponseMapper.errorMessage(body);
  }

  @Override
  protected void onWhole(JsonObject body) {
    EmbeddingsRequest request = embeddings();
    JsonArray data = body.getJsonArray("data");
    if (data == null) {
      throw malformed("no data");
    }
    int n = request.inputCount();
    float[][] vectors = new float[n][];
    for (int i = 0; i < data.size(); i++) {
      JsonObject item = data.getJsonObject(i);
      int index = item.getInteger("index", i);
      if (index < 0 || index >= n || vectors[index] != null) {
        throw malformed("embedding index " + index + " out of range or repeated");
      }
      vectors[index] = vector(item.getValue("embedding"));
    }
    for (float[] v : vectors) {
      if (v == null) {
        throw malformed(data.size() + " embeddings for " + n + " inputs");
      }
    }
    call.result(new EmbeddingsResult(Arrays.asList(vectors)));
    JsonObject usage = body.getJsonObject("usage");
    Long prompt = usage == null ? null : usage.getLong("prompt_tokens");
    call.usage(prompt != null ? new Usage(prompt, 0, 0, 0, false)
        : new Usage(request.estimatedPromptTokens(), 0, 0, 0, true));
  }

  /** A vector as floats, from a JSON array or OpenAI's base64 of little-endian float32. */
  static float[] vector(Object embedding) {
    if (embedding instanceof JsonArray array) {
      float[] v = new float[array.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((Number) array.getValue(i)).floatValue();
      }
      return v;
    }
    if (embedding instanceof String base64) {
      try {
        return Float32Base64.decode(base64);
      } catch (IllegalArgumentException e) {
        throw malformed("base64 embedding is not whole float32 values");
      }
    }
    throw malformed("embedding is neither an array nor base64");
  }
}
