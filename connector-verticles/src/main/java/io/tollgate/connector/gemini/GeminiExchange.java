package io.tollgate.connector.gemini;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.SseParser;
import io.tollgate.connector.StreamingExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One call to Gemini: the {@code alt=sse} stream carries one {@code GenerateContentResponse} per
 * event, and is complete when the connection ends after every candidate had a finish reason
 * (Gemini sends no end marker). An upstream answering JSON instead (one response, or the array
 * {@code streamGenerateContent} returns without {@code alt=sse}) is read whole. Google's error
 * envelope decides the failure for an error status. Vertex AI's Gemini speaks the same format on
 * other URLs with OAuth2 tokens: it extends this exchange and replaces only the URL and the auth.
 */
public class GeminiExchange extends StreamingExchange {

  private final GeminiEndpoint endpoint;
  private final GeminiResponseMapper mapper = new GeminiResponseMapper();
  private Usage usage;

  protected GeminiExchange(ProviderContext context, GeminiEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    return endpoint.requestOptions(deployment, call.call().model(), credential);
  }

  @Override
  protected final Buffer requestBody() {
    return GeminiRequestMapper.toBody(call.call());
  }

  @Override
  protected final String errorMessage(Buffer body) {
    return GeminiResponseMapper.errorMessage(body);
  }

  @Override
  protected final GatewayException statusFailure(int status, Buffer body) {
    return GeminiResponseMapper.statusFailure(status, body);
  }

  @Override
  protected final void onEvent(SseParser.Event event) {
    String data = event.data().trim();
    if (!data.isEmpty()) {
      onWhole(new JsonObject(data));
    }
  }

  /** One {@code GenerateContentResponse}, from the stream or from a whole answer. */
  @Override
  protected final void onWhole(JsonObject response) {
    GeminiResponseMapper.Mapped mapped = mapper.chunk(response);
    call.deltas(mapped.deltas());
    if (mapped.usage() != null) {
      usage = mapped.usage();
    }
    // Gemini repeats usageMetadata in every chunk, without the output tokens until the end: an
    // interim count reported now would bill a cancelled stream for no output. Only a finished
    // stream's count is reported; until then the connector's estimate of what it relayed stands.
    if (mapper.finished() && usage != null) {
      call.usage(usage);
    }
  }

  /** One response or an array of them; complete only once every candidate finished. */
  @Override
  protected final void onWholeBody(Buffer bytes) {
    Object json = Json.decodeValue(bytes);
    JsonArray responses = json instanceof JsonArray a ? a : new JsonArray().add(json);
    for (int i = 0; i < responses.size() && !call.isFinished(); i++) {
      onWhole(responses.getJsonObject(i));
    }
    if (call.isFinished()) {
      return;
    }
    if (mapper.finished()) {
      call.complete();
    } else {
      call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream response ended before it was complete"));
    }
  }

  @Override
  protected final boolean completeAtEnd() {
    return mapper.finished();
  }
}
