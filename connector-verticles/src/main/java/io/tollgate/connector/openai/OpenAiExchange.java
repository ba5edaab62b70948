package io.tollgate.connector.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.BoundedBody;
import io.tollgate.connector.EgressGuard;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to an OpenAI-compatible upstream: connect, send, map the status line, then relay the
 * event stream (or a whole JSON completion from an upstream that ignored {@code stream: true}).
 * Aborting resets the HTTP request, which closes the upstream connection so the upstream stops
 * generating (and billing) tokens.
 *
 * <p>Failures carry safe messages (a status, a kind of failure) because they may reach API clients;
 * what the upstream said and where it lives is logged here at WARN, secrets removed.
 */
final class OpenAiExchange {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiExchange.class);
  private static final String DONE = "[DONE]";

  private final ProviderContext context;
  private final OpenAiEndpoint endpoint;
  private final ProviderCall call;
  private String credential;
  private String target;
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
    context.credentials().resolve(call.call().deployment().apiKey()).onComplete(ar -> {
      if (ar.failed()) {
        call.fail(ar.cause() instanceof GatewayException g ? g
            : new GatewayException(ErrorCode.UPSTREAM_AUTH, "credential cannot be resolved"));
      } else if (!call.isFinished()) {
        connect(ar.result());
      }
    });
  }

  private void connect(String resolved) {
    credential = resolved;
    DeploymentConfig deployment = call.call().deployment();
    RequestOptions options = endpoint.requestOptions(deployment, credential);
    Buffer body = OpenAiRequestMapper.toBody(call.call());
    target = options.getHost() + ":" + options.getPort();
    call.onAbort(this::abort);
    context.http().request(options).onComplete(ar -> {
      if (ar.succeeded()) {
        send(ar.result(), body);
      } else {
        warn("cannot connect", UpstreamErrors.detail(ar.cause(), credential));
        call.fail(UpstreamErrors.forConnectFailure(ar.cause()));
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
    String refused = EgressGuard.afterConnect(context.options().getEgress(), req);
    if (refused != null) {
      // Connected but nothing sent yet: the credential never reaches the refused address.
      warn("refused by the egress policy", "connected address " + refused);
      req.reset();
      call.fail(EgressGuard.refused(call.call().deployment().id()));
      return;
    }
    req.send(body).onComplete(ar -> {
      if (ar.succeeded()) {
        onResponse(ar.result());
      } else {
        failed("upstream failed before responding", ar.cause());
      }
    });
  }

  private void onResponse(HttpClientResponse response) {
    if (call.isFinished()) {
      return;
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      // The status decides the code; the body is read (capped) only to log what the upstream said.
      BoundedBody.read(request, response, context.options().getMaxErrorBodyBytes()).onComplete(ar -> {
        String said = ar.succeeded() ? OpenAiResponseMapper.errorMessage(ar.result().bytes()) : null;
        warn("answered HTTP " + status, UpstreamErrors.detail(said, credential)
            + (ar.succeeded() && ar.result().truncated() ? " (error body over "
            + context.options().getMaxErrorBodyBytes() + " bytes, not read to the end)" : ""));
        call.fail(endpoint.failure(status, ar.succeeded() ? ar.result().bytes() : null));
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
    response.exceptionHandler(e -> failed("upstream connection failed mid-stream", e));
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
      reported(e, data);
    } catch (RuntimeException e) {
      malformed(e);
    }
  }

  private void readCompletion(HttpClientResponse response) {
    int limit = context.options().getMaxResponseBodyBytes();
    BoundedBody.read(request, response, limit).onComplete(ar -> {
      if (call.isFinished()) {
        return;
      }
      if (ar.failed()) {
        failed("upstream connection failed mid-response", ar.cause());
        return;
      }
      if (ar.result().truncated()) {
        warn("sent a completion over the limit", "more than " + limit + " bytes; connection reset");
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR,
            "upstream response body exceeds the connector's limit of " + limit + " bytes"));
        return;
      }
      Buffer bytes = ar.result().bytes();
      try {
        OpenAiResponseMapper.Mapped mapped = OpenAiResponseMapper.completion(new JsonObject(bytes));
        call.deltas(mapped.deltas());
        call.usage(mapped.usage());
        call.complete();
      } catch (GatewayException e) {
        reported(e, bytes.toString());
      } catch (RuntimeException e) {
        malformed(e);
      }
    });
  }

  /** The upstream put an error object in a 2xx response: its words go to the log only. */
  private void reported(GatewayException e, String upstreamText) {
    warn("reported an error", UpstreamErrors.detail(upstreamText, credential));
    call.fail(e);
  }

  private void malformed(Exception e) {
    warn("sent a malformed response", UpstreamErrors.detail(e, credential));
    // The size bound's message is the gateway's own words (a limit, no upstream text): safe to show.
    call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, e instanceof SseParser.OversizedEventException
        ? "malformed response from upstream: " + e.getMessage()
        : "malformed response from upstream (" + UpstreamErrors.kind(e) + ")"));
  }

  private void failed(String what, Throwable e) {
    if (call.isFinished()) {
      return;
    }
    warn(what.replaceFirst("^upstream ", ""), UpstreamErrors.detail(e, credential));
    call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, what + " (" + UpstreamErrors.kind(e) + ")"));
  }

  private void warn(String what, String detail) {
    LOG.warn("request_id={} deployment={} upstream={}: upstream {}: {}", call.call().requestId(),
        call.call().deployment().id(), target, what, detail);
  }
}
