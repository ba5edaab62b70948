package io.tollgate.edge.format.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.EmbeddingsResult;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The embeddings format: OpenAI's request shapes in, OpenAI's answer out")
class EmbeddingsFormatTest {

  private static EmbeddingsRequest parse(String json) {
    return EmbeddingsFormat.parse(Buffer.buffer(json));
  }

  private static String param(String json) {
    try {
      parse(json);
      throw new AssertionError("accepted " + json);
    } catch (GatewayException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      return e.param();
    }
  }

  @Test
  @DisplayName("input as a string, strings, a token array or token arrays; unknown fields kept as sent")
  void shapes() {
    assertThat(parse("{\"model\":\"m\",\"input\":\"hi\"}").texts()).containsExactly("hi");
    assertThat(parse("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}").texts()).containsExactly("a", "b");
    assertThat(parse("{\"model\":\"m\",\"input\":[1,2,3]}").tokens()).containsExactly(List.of(1, 2, 3));
    assertThat(parse("{\"model\":\"m\",\"input\":[[1],[2,3]]}").tokens()).containsExactly(List.of(1), List.of(2, 3));
    EmbeddingsRequest r = parse("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"base64\",\"dimensions\":64,"
        + "\"user\":\"u\",\"truncate_prompt_tokens\":8}");
    assertThat(r.encodingFormat()).isEqualTo(EmbeddingsRequest.EncodingFormat.BASE64);
    assertThat(r.dimensions()).isEqualTo(64);
    assertThat(r.user()).isEqualTo("u");
    assertThat(r.extra()).isEqualTo(Map.of("truncate_prompt_tokens", new RawJson("8")));
    assertThat(parse("{\"model\":\"m\",\"input\":\"x\"}").encodingFormat())
        .isEqualTo(EmbeddingsRequest.EncodingFormat.FLOAT);
  }

  @Test
  @DisplayName("bad inputs are 400s naming the field")
  void errors() {
    assertThat(param("{\"input\":\"x\"}")).isEqualTo("model");
    assertThat(param("{\"model\":\"m\"}")).isEqualTo("input");
    assertThat(param("{\"model\":\"m\",\"input\":{}}")).isEqualTo("input");
    assertThat(param("{\"model\":\"m\",\"input\":[]}")).isEqualTo("input");
    assertThat(param("{\"model\":\"m\",\"input\":\"\"}")).isEqualTo("input");
    assertThat(param("{\"model\":\"m\",\"input\":[\"a\",\"\"]}")).isEqualTo("input[1]");
    assertThat(param("{\"model\":\"m\",\"input\":[\"a\",[1]]}")).isEqualTo("input[1]");
    assertThat(param("{\"model\":\"m\",\"input\":[[1],[]]}")).isEqualTo("input[1]");
    assertThat(param("{\"model\":\"m\",\"input\":[1.5]}")).isEqualTo("input[0]");
    assertThat(param("{\"model\":\"m\",\"input\":[true]}")).isEqualTo("input[0]");
    assertThat(param("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}")).isEqualTo("encoding_format");
    assertThat(param("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":-1}")).isEqualTo("dimensions");
    StringBuilder many = new StringBuilder("{\"model\":\"m\",\"input\":[");
    for (int i = 0; i <= EmbeddingsRequestParser.MAX_INPUTS; i++) {
      many.append(i == 0 ? "" : ",").append("\"x\"");
    }
    assertThat(param(many.append("]}").toString())).isEqualTo("input");
    assertThatThrownBy(() -> parse("[1]")).isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> parse("{")).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
  }

  @Test
  @DisplayName("the answer: floats as JSON numbers, base64 as little-endian float32, usage with no completion tokens")
  void answer() {
    float[] v = {1f, -0.5f, 3.0e-7f};
    AnswerWriter floats = EmbeddingsFormat.answer("r", parse("{\"model\":\"pub\",\"input\":\"x\"}"));
    floats.result(new EmbeddingsResult(List.of(v)));
    JsonObject body = new JsonObject(floats.whole(new Usage(3, 0, 0, 0, true)));
    assertThat(body).isEqualTo(new JsonObject("""
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[1.0,-0.5,3.0E-7]}],
         "model":"pub","usage":{"prompt_tokens":3,"total_tokens":3}}"""));

    AnswerWriter b64 = EmbeddingsFormat.answer("r",
        parse("{\"model\":\"pub\",\"input\":\"x\",\"encoding_format\":\"base64\"}"));
    b64.result(new EmbeddingsResult(List.of(v)));
    String s = new JsonObject(b64.whole(Usage.ZERO)).getJsonArray("data").getJsonObject(0).getString("embedding");
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {bytes.getFloat(), bytes.getFloat(), bytes.getFloat()}).containsExactly(v);
    assertThat(bytes.hasRemaining()).isFalse();
  }

  @Test
  @DisplayName("an answer without the vectors (or with the wrong number) is an upstream error, not an empty list")
  void missingResult() {
    AnswerWriter w = EmbeddingsFormat.answer("r", parse("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}"));
    assertThatThrownBy(() -> w.whole(Usage.ZERO)).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
    w.result(new EmbeddingsResult(List.of(new float[] {1f})));
    assertThatThrownBy(() -> w.whole(Usage.ZERO)).isInstanceOf(GatewayException.class);
  }
}
