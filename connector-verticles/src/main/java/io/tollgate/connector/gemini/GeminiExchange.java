package io.tollgate.connector.gemini;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
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
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to Gemini: map the request (a 400 naming what cannot be translated, before anything is
 * sent), connect, map the status line and Google's error envelope, then relay the
 * {@code alt=sse} stream, one {@code GenerateContentResponse} per event. A stream is complete when
 * the connection ends after every candidate had a finish reason (Gemini sends no end marker).
 * An upstream answering JSON instead (one response, or the array {@code streamGenerateContent}
 * returns without {@code alt=sse}) is read whole. Aborting resets the HTTP request.
 *
 * <p>As in the OpenAI connector, failures carry safe messages; what the upstream said is logged
 * at WARN with secrets removed.
 */
final class GeminiExchange {

  private static final Logger LOG = LoggerFactory.getLogger(GeminiExchange.class);

  private final ProviderContext context;
  private final GeminiEndpoint endpoint;
  private final ProviderCall call;
  private final GeminiResponseMapper mapper = new GeminiResponseMapper();
  private String credential;
  private String target;
  private HttpClientRequest request;
  private boolean aborted;
  private io.tollgate.api.chat.Usage usage;

  GeminiExchange(ProviderContext context, GeminiEndpoint endpoint, ProviderCall call) {
    this.context = context;
    this.endpoint = endpoint;
    this.call = call;
  }

  /** Maps the request first: an untranslatable one fails here, synchronously, with its 400. */
  void start() {
    Buffer body = GeminiRequestMapper.toBody(call.call());
    context.credentials().resolve(call.call().deployment().apiKey()).onComplete(ar -> {
      if (ar.failed()) {
        call.fail(ar.cause() instanceof GatewayException g ? g
            : new GatewayException(ErrorCode.UPSTREAM_AUTH, "credential cannot be resolved"));
      } else if (!call.isFinished()) {
        try {
          connect(ar.result(), body);
        } catch (GatewayException e) {
          call.fail(e);
        }
      }
    });
  }

  private void connect(String resolved, Buffer body) {
    credential = resolved;
    RequestOptions options = endpoint.requestOptions(call.call().deployment(), call.call().model(), credential);
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
      BoundedBody.read(request, response, context.options().getMaxErrorBodyBytes()).onComplete(ar -> {
        JsonObject error = ar.succeeded() ? GeminiResponseMapper.errorOf(ar.result().bytes().toString()) : null;
        String said = error != null && error.getValue("message") instanceof String m ? m
            : ar.succeeded() ? ar.result().bytes().toString() : null;
        warn("answered HTTP " + status, UpstreamErrors.detail(said, credential));
        call.fail(GeminiResponseMapper.failure(status, error));
      });
      return;
    }
    call.started();
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.contains("json") && !type.contains("event-stream")) {
      readWhole(response);
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
      if (call.isFinished()) {
        return;
      }
      if (mapper.finished()) {
        call.complete();
      } else {
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream ended the stream before it was complete"));
      }
    });
  }

  private void onEvent(SseParser.Event event) {
    if (call.isFinished()) {
      return;
    }
    String data = event.data().trim();
    if (data.isEmpty()) {
      return;
    }
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (RuntimeException e) {
      malformed(e);
      return;
    }
    map(data, json);
  }

  private void map(String text, JsonObject json) {
    try {
      GeminiResponseMapper.Mapped mapped = mapper.chunk(json);
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
    } catch (GatewayException e) {
      warn("reported an error", UpstreamErrors.detail(text, credential));
      call.fail(e);
    } catch (RuntimeException e) {
      malformed(e);
    }
  }

  private void readWhole(HttpClientResponse response) {
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
        warn("sent a response over the limit", "more than " + limit + " bytes; connection reset");
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR,
            "upstream response body exceeds the connector's limit of " + limit + " bytes"));
        return;
      }
      String text = ar.result().bytes().toString();
      try {
        Object json = Json.decodeValue(text);
        JsonArray responses = json instanceof JsonArray a ? a : new JsonArray().add(json);
        for (int i = 0; i < responses.size() && !call.isFinished(); i++) {
          map(text, responses.getJsonObject(i));
        }
      } catch (RuntimeException e) {
        malformed(e);
        return;
      }
      if (call.isFinished()) {
        return;
      }
      if (mapper.finished()) {
        call.complete();
      } else {
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream response ended before it was complete"));
      }
    });
  }

  private void malformed(Exception e) {
    warn("sent a malformed response", UpstreamErrors.detail(e, credential));
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
