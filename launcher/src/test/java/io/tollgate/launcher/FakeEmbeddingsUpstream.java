package io.tollgate.launcher;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server speaking the embeddings wire formats as documented: OpenAI's
 * {@code POST .../embeddings} (also on Azure's deployment and {@code /openai/v1} paths), whose
 * {@code data[]} items carry their {@code index} (listed here last input first, which the
 * documented format allows) and {@code usage.prompt_tokens}, vectors as floats or, for
 * {@code encoding_format: base64}, base64 of little-endian float32; and Gemini's
 * {@code models/{m}:batchEmbedContents}, {@code embeddings[].values} in request order, no usage.
 */
final class FakeEmbeddingsUpstream {

  record Received(String path, String query, MultiMap headers, JsonObject body) {
  }

  /** Tokens the OpenAI-shaped answer reports per input: not the gateway's estimate, so the test sees whose count won. */
  static final int TOKENS_PER_INPUT = 7;
  static final int DEFAULT_DIMENSIONS = 4;

  final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static FakeEmbeddingsUpstream start(Vertx vertx) {
    FakeEmbeddingsUpstream fake = new FakeEmbeddingsUpstream();
    fake.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(fake::handle);
    fake.server.listen().await();
    return fake;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The vector the fake gives {@code text}: multiples of 1/8, exact in float32 and in JSON. */
  static float[] vector(String text, int dims) {
    float[] v = new float[dims];
    for (int j = 0; j < dims; j++) {
      v[j] = text.length() * 0.25f + j * 0.125f - 0.5f;
    }
    return v;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      received.add(new Received(req.path(), req.query(), req.headers(), body));
      JsonObject answer = req.path().endsWith(":batchEmbedContents") ? gemini(body) : openAi(body);
      req.response().putHeader("content-type", "application/json").end(answer.toBuffer());
    });
  }

  private static JsonObject openAi(JsonObject body) {
    JsonArray input = body.getJsonArray("input");
    int dims = body.getInteger("dimensions", DEFAULT_DIMENSIONS);
    boolean base64 = "base64".equals(body.getString("encoding_format"));
    JsonArray data = new JsonArray();
    for (int i = input.size() - 1; i >= 0; i--) {
      float[] v = vector(String.valueOf(input.getValue(i)), dims);
      data.add(new JsonObject().put("object", "embedding").put("index", i)
          .put("embedding", base64 ? base64(v) : floats(v)));
    }
    int tokens = TOKENS_PER_INPUT * input.size();
    return new JsonObject().put("object", "list").put("data", data).put("model", body.getString("model"))
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens));
  }

  private static JsonObject gemini(JsonObject body) {
    JsonArray embeddings = new JsonArray();
    for (Object r : body.getJsonArray("requests")) {
      JsonObject request = (JsonObject) r;
      String text = request.getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text");
      int dims = request.getInteger("outputDimensionality", DEFAULT_DIMENSIONS);
      embeddings.add(new JsonObject().put("values", floats(vector(text, dims))));
    }
    return new JsonObject().put("embeddings", embeddings);
  }

  private static JsonArray floats(float[] v) {
    JsonArray a = new JsonArray();
    for (float f : v) {
      a.add(f);
    }
    return a;
  }

  static String base64(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  static float[] fromBase64(String s) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(v);
    return v;
  }
}
