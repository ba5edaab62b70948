package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.OpenAiPreset;
import io.tollgate.api.ops.CompletionRequest;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.SseParser;
import io.tollgate.connector.StreamingExchange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A legacy text completion, {@code POST {base_url}/completions}, relayed as chat is: always streamed
 * upstream with usage asked for (so a non-streaming client's usage is exact and a cancel stops the
 * upstream), each {@code text_completion} chunk's {@code text} becoming a choice delta's content.
 * {@code best_of} above 1 cannot stream (OpenAI refuses it): then the one JSON answer is read.
 */
final class OpenAiCompletionsExchange extends StreamingExchange {

  private static final String DONE = "[DONE]";

  private final OpenAiEndpoint endpoint;
  private boolean sawFinish;

  OpenAiCompletionsExchange(ProviderContext context, OpenAiEndpoint endpoint, ProviderCall call) {
    super(context, call);
    this.endpoint = endpoint;
  }

  private CompletionRequest request() {
    if (call.call().payload() instanceof CompletionRequest c) {
      return c;
    }
    throw new GatewayException(ErrorCode.INTERNAL, "not a completions call");
  }

  @Override
  protected RequestOptions requestOptions(DeploymentConfig deployment, String credential) {
    return endpoint.requestOptions(deployment, credential).setAbsoluteURI(endpoint.completionsUrl(deployment));
  }

  @Override
  protected Future<String> authorize(DeploymentConfig deployment, String credential) {
    return endpoint.authorize(context, deployment, credential);
  }

  @Override
  protected Buffer requestBody() {
    CompletionRequest c = request();
    JsonObject body = new JsonObject();
    for (Map.Entry<String, RawJson> x : c.extra().entrySet()) {
      body.put(x.getKey(), Json.decodeValue(x.getValue().json()));
    }
    String upstream = call.call().deployment().upstreamModel();
    body.put("model", upstream != null && !upstream.isBlank() ? upstream.trim() : c.model());
    body.put("prompt", prompt(c));
    putIfSet(body, "max_tokens", c.maxTokens());
    putIfSet(body, "temperature", c.temperature());
    putIfSet(body, "top_p", c.topP());
    putIfSet(body, "n", c.n());
    if (c.stop() != null) {
      body.put("stop", new JsonArray(c.stop()));
    }
    putIfSet(body, "suffix", c.suffix());
    putIfSet(body, "echo", c.echo());
    putIfSet(body, "logprobs", c.logprobs());
    putIfSet(body, "user", c.user());
    boolean bestOf = body.getValue("best_of") instanceof Number n && n.intValue() > 1;
    body.put("stream", !bestOf);
    body.remove("stream_options");
    OpenAiPreset preset = call.call().deployment().preset();
    if (!bestOf && (preset == null || preset.streamUsage() == OpenAiPreset.StreamUsage.REQUEST)) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body.toBuffer();
  }

  /** One prompt as itself, several as an array; token prompts likewise. */
  private static Object prompt(CompletionRequest c) {
    if (!c.prompts().isEmpty()) {
      return c.prompts().size() == 1 ? c.prompts().get(0) : new JsonArray(c.prompts());
    }
    List<Object> tokens = new ArrayList<>(c.tokenPrompts().size());
    c.tokenPrompts().forEach(t -> tokens.add(new JsonArray(t)));
    return tokens.size() == 1 ? tokens.get(0) : new JsonArray(tokens);
  }

  private static void putIfSet(JsonObject body, String key, Object value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  @Override
  protected GatewayException statusFailure(int status, Buffer body) {
    return OpenAiBadRequest.withParam(endpoint.failure(status, body), status, body);
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
    JsonObject chunk = new JsonObject(data);
    call.deltas(deltas(chunk));
    call.usage(OpenAiResponseMapper.usage(chunk.getJsonObject("usage")));
  }

  @Override
  protected void onWhole(JsonObject body) {
    call.deltas(deltas(body));
    call.usage(OpenAiResponseMapper.usage(body.getJsonObject("usage")));
  }

  /** A {@code text_completion} (chunk or whole): each choice's text and finish reason. */
  private List<ChoiceDelta> deltas(JsonObject json) {
    OpenAiResponseMapper.failOnError(json);
    JsonArray choices = json.getJsonArray("choices");
    List<ChoiceDelta> deltas = new ArrayList<>(choices == null ? 0 : choices.size());
    if (choices == null) {
      return deltas;
    }
    for (int i = 0; i < choices.size(); i++) {
      JsonObject choice = choices.getJsonObject(i);
      String finish = choice.getString("finish_reason");
      FinishReason reason = finish == null ? null : FinishReason.fromOpenAi(finish);
      sawFinish |= reason != null;
      String text = choice.getString("text");
      if (text != null && !text.isEmpty() || reason != null) {
        deltas.add(new ChoiceDelta(choice.getInteger("index", i), null, text == null || text.isEmpty() ? null : text,
            null, reason));
      }
    }
    return deltas;
  }

  @Override
  protected boolean completeAtEnd() {
    return sawFinish;
  }
}
