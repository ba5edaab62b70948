package io.tollgate.connector.anthropic;

import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.SseParser;
import io.tollgate.connector.StreamingExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One call to the Messages API: its event stream until {@code message_stop} (or a whole message
 * from an upstream that ignored {@code stream: true}). A stream that ends without
 * {@code message_stop} still counts as complete once {@code message_delta} said why it stopped.
 */
final class AnthropicExchange extends StreamingExchange {

  private final AnthropicEndpoint endpoint;
  private final AnthropicStream stream = new AnthropicStream();

  AnthropicExchange(ProviderContext context, AnthropicEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    return endpoint.requestOptions(deployment, credential);
  }

  @Override
  protected Buffer requestBody() {
    return AnthropicRequestMapper.toBody(call.call());
  }

  @Override
  protected String errorMessage(Buffer body) {
    return AnthropicErrors.message(body);
  }

  @Override
  protected GatewayException statusFailure(int status, Buffer body) {
    return AnthropicErrors.forStatus(status, body);
  }

  @Override
  protected void onEvent(SseParser.Event event) {
    String data = event.data().trim();
    if (data.isEmpty()) {
      return;
    }
    AnthropicStream.Step step = stream.event(new JsonObject(data));
    if (step.deltas() != null) {
      call.deltas(step.deltas());
    }
    if (step.soFar() != null) {
      call.usageSoFar(step.soFar());
    }
    if (step.usage() != null) {
      call.usage(step.usage());
    }
    if (step.done()) {
      call.complete();
    }
  }

  @Override
  protected void onWhole(JsonObject body) {
    AnthropicWholeMessage.Mapped mapped = AnthropicWholeMessage.map(body);
    for (List<ChoiceDelta> event : mapped.events()) {
      call.deltas(event);
    }
    call.usage(mapped.usage());
  }

  @Override
  protected boolean completeAtEnd() {
    return stream.sawStop();
  }
}
