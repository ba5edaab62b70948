package io.tollgate.edge.format.openai;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** {@code POST /v1/chat/completions}: OpenAI's Chat Completions API. */
public final class OpenAiChatFormat implements InboundFormat {

  public static final OpenAiChatFormat INSTANCE = new OpenAiChatFormat();
  /** Most choices one request may ask for (OpenAI's own maximum for {@code n}). */
  public static final int MAX_CHOICES = ChatRequestParser.MAX_CHOICES;

  private OpenAiChatFormat() {
  }

  @Override
  public ChatRequest parse(Buffer body) {
    return ChatRequestParser.parse(body);
  }

  @Override
  public AnswerWriter answer(String requestId, ChatRequest request) {
    return new OpenAiChatAnswer("chatcmpl-" + requestId, request);
  }

  @Override
  public String apiKey(HttpServerRequest request) {
    return bearer(request.getHeader("authorization"));
  }

  /** The token of an {@code Authorization: Bearer} header (the scheme is optional, as OpenAI's SDKs never omit it). */
  public static String bearer(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return null;
    }
    return authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : authorization.trim();
  }

  @Override
  public int status(GatewayException error) {
    return error.code().status();
  }

  @Override
  public Buffer errorBody(GatewayException error, List<Attempt> attempts) {
    return OpenAiFormat.error(error, attempts).toBuffer();
  }

  @Override
  public Buffer streamError(GatewayException error) {
    return OpenAiFormat.sse(OpenAiFormat.error(error, null)).appendBuffer(OpenAiFormat.done());
  }
}
