package io.tollgate.edge.format.responses;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.Redact;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import io.tollgate.edge.format.JsonFields;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.tollgate.edge.format.openai.OpenAiFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API. Keys and errors are OpenAI's (Bearer, the
 * {@code {"error":{...}}} envelope). {@link #INSTANCE} answers errors for any request on the path;
 * each accepted request gets its own instance ({@link #forRequest}) that knows the parsed request
 * (for the fields a response echoes) and continues its stream's sequence numbers in a
 * {@code response.failed} event.
 */
public class ResponsesFormat implements InboundFormat {

  public static final ResponsesFormat INSTANCE = new ResponsesFormat();

  ResponsesFormat() {
  }

  /** A format for one parsed request; {@code onFinished} gets the finished response object. */
  public static InboundFormat forRequest(ResponsesRequest request, Consumer<JsonObject> onFinished) {
    return new ForRequest(request, onFinished);
  }

  /** Parses without a previous response; the edge uses {@link ResponsesRequestParser} directly to continue one. */
  @Override
  public ChatRequest parse(Buffer body) {
    return ResponsesRequestParser.parse(JsonFields.object(body), new JsonArray()).chat();
  }

  @Override
  public AnswerWriter answer(String requestId, ChatRequest request) {
    return new ResponsesAnswer("resp_" + requestId, requestId + "_",
        new ResponsesRequest(request, null, false, null, new JsonArray(), new JsonObject()), r -> { });
  }

  @Override
  public String apiKey(HttpServerRequest request) {
    return OpenAiChatFormat.bearer(request.getHeader("authorization"));
  }

  @Override
  public int status(GatewayException error) {
    return error.code().status();
  }

  @Override
  public Buffer errorBody(GatewayException error, List<Attempt> attempts) {
    return OpenAiFormat.error(error, attempts).toBuffer();
  }

  /** Without the answer's state: the documented stream-level {@code error} event. */
  @Override
  public Buffer streamError(GatewayException error) {
    ErrorCode code = error.code();
    return ResponsesWire.sse("error", 0, new JsonObject().put("code", code.code())
        .put("message", Redact.secrets(error.getMessage())).put("param", error.param()));
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private static String randomHex() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static final class ForRequest extends ResponsesFormat {
    private final ResponsesRequest request;
    private final Consumer<JsonObject> onFinished;
    private ResponsesAnswer answer;

    ForRequest(ResponsesRequest request, Consumer<JsonObject> onFinished) {
      this.request = request;
      this.onFinished = onFinished;
    }

    @Override
    public AnswerWriter answer(String requestId, ChatRequest chat) {
      // A stored response is read back by its id alone (within the tenant): request ids are a
      // per-instance prefix and a counter, so a stored one gets a random part no other key can guess.
      String id = request.store() ? "resp_" + requestId + randomHex() : "resp_" + requestId;
      answer = new ResponsesAnswer(id, requestId + "_", request, onFinished);
      return answer;
    }

    @Override
    public Buffer streamError(GatewayException error) {
      return answer == null ? super.streamError(error) : answer.failed(error);
    }
  }
}
