package io.tollgate.connector.openai;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.SseParser;
import io.tollgate.connector.StreamingExchange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * One call to an OpenAI-compatible upstream: chat completion chunks until {@code [DONE]} (or a
 * whole JSON completion from an upstream that ignored {@code stream: true}). A stream that ends
 * without {@code [DONE]} still counts as complete once a choice said why it finished.
 */
final class OpenAiExchange extends StreamingExchange {

  private static final String DONE = "[DONE]";

  private final OpenAiEndpoint endpoint;
  private boolean sawFinish;

  OpenAiExchange(ProviderContext context, OpenAiEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    return endpoint.requestOptions(deployment, credential);
  }

  @Override
  protected Future<String> authorize(DeploymentConfig deployment, String credential) {
    return endpoint.authorize(context, deployment, credential);
  }

  @Override
  protected Buffer requestBody() {
    return OpenAiRequestMapper.toBody(call.call());
  }

  /** The endpoint decides (Azure reads its content-filter refusals from the body). */
  @Override
  protected GatewayException statusFailure(int status, Buffer body) {
    return endpoint.failure(status, body);
  }

  @Override
  protected String errorMessage(Buffer body) {
    return OpenAiResponseMapper.errorMessage(body);
  }

  @Override
  protected void onEvent(SseParser.Event event) {
    String data = event.data().trim();
    if (DONE.equals(data)) {
      call.complete();
      return;
    }
    if (data.isEmpty()) {
      return;
    }
    OpenAiResponseMapper.Mapped mapped = OpenAiResponseMapper.chunk(new JsonObject(data));
    for (ChoiceDelta d : mapped.deltas()) {
      sawFinish |= d.finishReason() != null;
    }
    call.deltas(mapped.deltas());
    call.usage(mapped.usage());
  }

  @Override
  protected void onWhole(JsonObject body) {
    OpenAiResponseMapper.Mapped mapped = OpenAiResponseMapper.completion(body);
    call.deltas(mapped.deltas());
    call.usage(mapped.usage());
  }

  @Override
  protected boolean completeAtEnd() {
    return sawFinish;
  }
}
