package io.tollgate.edge.format.anthropic;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API. The key comes in {@code x-api-key} (what
 * Anthropic's SDKs send) or {@code Authorization: Bearer} (what they send with an auth token);
 * {@code anthropic-version} and {@code anthropic-beta} are accepted and not interpreted: the
 * answer's shape is the one of version 2023-06-01, the only version there is.
 */
public final class AnthropicFormat implements InboundFormat {

  public static final AnthropicFormat INSTANCE = new AnthropicFormat();

  private AnthropicFormat() {
  }

  @Override
  public ChatRequest parse(Buffer body) {
    return AnthropicRequestParser.parse(body);
  }

  /** A {@code count_tokens} body: a Messages body without {@code max_tokens} (and without streaming). */
  public ChatRequest parseCount(Buffer body) {
    return AnthropicRequestParser.parseCount(body);
  }

  /** The {@code count_tokens} answer. */
  public Buffer tokenCount(long inputTokens) {
    return new JsonObject().put("input_tokens", inputTokens).toBuffer();
  }

  @Override
  public AnswerWriter answer(String requestId, ChatRequest request) {
    return new AnthropicAnswer("msg_" + requestId, request);
  }

  @Override
  public String apiKey(HttpServerRequest request) {
    String key = request.getHeader("x-api-key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    return OpenAiChatFormat.bearer(request.getHeader("authorization"));
  }

  @Override
  public int status(GatewayException error) {
    return AnthropicErrors.status(error.code());
  }

  @Override
  public Buffer errorBody(GatewayException error, List<Attempt> attempts) {
    return AnthropicErrors.envelope(error, attempts).toBuffer();
  }

  @Override
  public Buffer streamError(GatewayException error) {
    return AnthropicErrors.streamError(error);
  }
}
