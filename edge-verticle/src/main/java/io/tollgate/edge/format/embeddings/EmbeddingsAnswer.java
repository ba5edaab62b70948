package io.tollgate.edge.format.embeddings;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.api.ops.Float32Base64;
import io.tollgate.edge.format.UnaryAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes OpenAI's embeddings answer: {@code {"object":"list","data":[{"object":"embedding",
 * "index":i,"embedding":[...]}],"model":...,"usage":{"prompt_tokens":n,"total_tokens":n}}}, the
 * vectors as float arrays or, for {@code encoding_format: base64}, as base64 of their little-endian
 * float32 bytes (what the OpenAI SDKs decode). Written directly rather than through a JSON tree:
 * a request can carry 2048 vectors of 3072 floats. Never streams.
 */
final class EmbeddingsAnswer extends UnaryAnswer<EmbeddingsResult> {

  private final EmbeddingsRequest request;

  EmbeddingsAnswer(String requestId, EmbeddingsRequest request) {
    super(requestId, EmbeddingsResult.class);
    this.request = request;
  }

  @Override
  public Buffer whole(Usage usage) {
    EmbeddingsResult result = result();
    if (result == null || result.vectors().size() != request.inputCount()) {
      throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "the upstream answered without the embeddings");
    }
    boolean base64 = request.encodingFormat() == EmbeddingsRequest.EncodingFormat.BASE64;
    StringBuilder sb = new StringBuilder(64 + result.vectors().size() * 64);
    sb.append("{\"object\":\"list\",\"data\":[");
    List<float[]> vectors = result.vectors();
    for (int i = 0; i < vectors.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
      if (base64) {
        sb.append('"').append(Float32Base64.encode(vectors.get(i))).append('"');
      } else {
        floats(sb, vectors.get(i));
      }
      sb.append('}');
    }
    long prompt = usage == null ? 0 : usage.promptTokens();
    sb.append("],\"model\":").append(Json.encode(request.model()))
        .append(",\"usage\":{\"prompt_tokens\":").append(prompt).append(",\"total_tokens\":").append(prompt)
        .append("}}");
    return Buffer.buffer(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void floats(StringBuilder sb, float[] v) {
    sb.append('[');
    for (int j = 0; j < v.length; j++) {
      if (!Float.isFinite(v[j])) {
        throw new GatewayException(ErrorCode.UPSTREAM_ERROR, "the upstream sent an embedding that is not a number");
      }
      sb.append(j == 0 ? "" : ",").append(v[j]);
    }
    sb.append(']');
  }
}
