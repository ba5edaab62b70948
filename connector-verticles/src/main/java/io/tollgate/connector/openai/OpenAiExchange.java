package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.Credentials;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import io.tollgate.connector.SseParser;
import io.tollgate.connector.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * One call to an OpenAI-compatible upstream: connect, send, map the status line, then relay the
 * event stream (or a whole JSON completion from an upstream that ignored {@code stream: true}).
 * Aborting resets the HTTP request, which closes the upstream connection so the upstream stops
 * generating (and billing) tokens.
 */
final class OpenAiExchange {

  private static final String DONE = "[DONE]";

  private final ProviderContext context;
  private final OpenAiEndpoint endpoint;
  private final ProviderCall call;
  private String credential;
  private HttpClientRequest request;
  private boolean aborted;
  private boolean sawFinish;
  private boolean sawDone;

  OpenAiExchange(ProviderContext context, OpenAiEndpoint endpoint, ProviderCall call) {
    this.context = context;
    this.endpoint = endpoint;
    this.call = call;
  }

  void start() {
    DeploymentConfig deployment = call.call().deployment();
    credential = Credentials.resolve(deployment.apiKey(), context.options().getEnvironment());
    RequestOptions options = endpoint.requestOptions(deployment, credential);
    Buffer body = OpenAiRequestMapper.toBody(call.call());
    String target = options.getHost() + ":" + options.getPort();
    call.onAbort(this::abort);
    context.http().request(options).onComplete(ar -> {
      if (ar.succeeded()) {
        send(ar.result(), body);
      } else {
        call.fail(UpstreamErrors.forConnectFailure(target, ar.cause()));
      }
    });
  }

  private void abort() {
    aborted = true;
    if (request != null) {
      request.reset();
    }
  }

  private void send(HttpClientRequest req, Buffer body) {
    request = req;
    if (aborted) {
      req.reset();
      return;
    }
    req.send(body).onComplete(ar -> {
      if (ar.succeeded()) {
        onResponse(ar.result());
      } else {
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR,
            "upstream failed before responding: " + describe(ar.cause())));
      }
    });
  }

  private void onResponse(HttpClientResponse response) {
    if (call.isFinished()) {
      return;
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      response.body().onComplete(ar -> {
        String message = ar.succeeded() ? OpenAiResponseMapper.errorMessage(ar.result()) : null;
        call.fail(UpstreamErrors.forStatus(status, UpstreamErrors.scrub(message, credential)));
      });
      return;
    }
    call.started();
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.contains("json") && !type.contains("event-stream")) {
      readCompletion(response);
    } else {
      relayStream(response);
    }
  }

  private void relayStream(HttpClientResponse response) {
    SseParser parser = new SseParser(this::onEvent);
    response.handler(buffer -> {
      if (call.isFinished()) {
        return;
      }
      try {
        parser.feed(buffer);
      } catch (IllegalStateException e) {
        malformed(e);
      }
    });
    response.exceptionHandler(e -> call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR,
        "upstream connection failed mid-stream: " + describe(e))));
    response.endHandler(v -> {
      if (call.isFinished()) {
        return;
      }
      try {
        parser.finish();
      } catch (SseParser.OversizedEventException e) {
        malformed(e);
        return;
      }
      if (sawDone || sawFinish) {
        call.complete();
      } else {
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream ended the stream before it was complete"));
      }
    });
  }

  private void onEvent(SseParser.Event event) {
    if (sawDone || call.isFinished()) {
      return;
    }
    String data = event.data().trim();
    if (DONE.equals(data)) {
      sawDone = true;
      call.complete();
      return;
    }
    if (data.isEmpty()) {
      return;
    }
    try {
      OpenAiResponseMapper.Mapped mapped = OpenAiResponseMapper.chunk(new JsonObject(data));
      for (ChoiceDelta d : mapped.deltas()) {
        sawFinish |= d.finishReason() != null;
      }
      call.deltas(mapped.deltas());
      call.usage(mapped.usage());
    } catch (GatewayException e) {
      call.fail(e);
    } catch (RuntimeException e) {
      malformed(e);
    }
  }

  private void readCompletion(HttpClientResponse response) {
    response.body().onComplete(ar -> {
      if (call.isFinished()) {
        return;
      }
      if (ar.failed()) {
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR,
            "upstream connection failed mid-response: " + describe(ar.cause())));
        return;
      }
      try {
        OpenAiResponseMapper.Mapped mapped = OpenAiResponseMapper.completion(new JsonObject(ar.result()));
        call.deltas(mapped.deltas());
        call.usage(mapped.usage());
        call.complete();
      } catch (GatewayException e) {
        call.fail(e);
      } catch (RuntimeException e) {
        malformed(e);
      }
    });
  }

  private void malformed(Exception e) {
    call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, "malformed response from upstream: " + describe(e)));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + UpstreamErrors.shorten(message));
  }
}
