package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.DeploymentConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to an upstream that answers with an event stream (or, when it ignores
 * {@code stream: true}, one JSON body): map the request, resolve the credential, connect, send,
 * map the status line, then relay the events. What differs per protocol (URL and headers, request
 * and event mapping, what an error status means, when a stream is complete) is left to the
 * subclass; the flow, the bounds and the failure reporting are shared.
 * Aborting resets the HTTP request, which closes the upstream connection so the upstream stops
 * generating (and billing) tokens.
 *
 * <p>Failures carry safe messages (a status, a kind of failure) because they may reach API clients;
 * what the upstream said and where it lives is logged here at WARN, secrets removed.
 */
public abstract class StreamingExchange {

  /** The subclass's logger, so each protocol's upstream trouble is logged under its own name. */
  private final Logger log = LoggerFactory.getLogger(getClass());
  protected final ProviderContext context;
  protected final ProviderCall call;
  private String credential;
  private String target;
  private HttpClientRequest request;
  private boolean aborted;

  protected StreamingExchange(ProviderContext context, ProviderCall call) {
    this.context = context;
    this.call = call;
  }

  /** The upstream request's URL and headers; {@code credential} may be null (servers without auth). */
  protected abstract RequestOptions requestOptions(DeploymentConfig deployment, String credential);

  /** The upstream request body; may throw a 400 ({@link Untranslatable}) before anything is sent. */
  protected abstract Buffer requestBody();

  /** The upstream's own words in an error body, for the log only. */
  protected abstract String errorMessage(Buffer body);

  /** One event of the stream: report deltas, usage, completion or failure through {@link #call}. */
  protected abstract void onEvent(SseParser.Event event);

  /** A whole JSON answer (an upstream that ignored {@code stream: true}): report it and complete. */
  protected abstract void onWhole(JsonObject body);

  /** Whether a stream that ended without its terminal event had said enough to count as complete. */
  protected abstract boolean completeAtEnd();

  /**
   * A whole JSON answer's bytes: by default one object handed to {@link #onWhole}, then the call
   * completes. A protocol whose whole answer can be something else (Gemini's array of responses)
   * or may be incomplete overrides this and completes or fails the call itself.
   */
  protected void onWholeBody(Buffer bytes) {
    onWhole(new JsonObject(bytes));
    call.complete();
  }

  /**
   * What the request is sent with, from the resolved credential: by default the credential itself
   * (an API key). Providers that trade a credential for an OAuth2 access token (Vertex AI's
   * service-account key, Entra ID's client secret) override this; the token is cached per node
   * ({@link Credentials#tokens()}), so only the first call, or one after expiry, waits for it.
   * Must complete on the caller's context.
   */
  protected Future<String> authorize(DeploymentConfig deployment, String credential) {
    return Future.succeededFuture(credential);
  }

  /**
   * Whether the upstream's answer is always one body (embeddings and other unary operations), read
   * whole whatever its content type says; by default only a JSON content type is.
   */
  protected boolean answersWhole() {
    return false;
  }

  /** The failure for a non-2xx status; {@code body} is the (capped) error body, possibly empty. */
  protected GatewayException statusFailure(int status, Buffer body) {
    return UpstreamErrors.forStatus(status);
  }

  /**
   * Starts the call. The request is mapped first, so an untranslatable request is a 400 thrown
   * to the caller at once, without a credential lookup or a connection.
   */
  public final void start() {
    Buffer body = requestBody();
    DeploymentConfig deployment = call.call().deployment();
    context.credentials().resolve(deployment.apiKey())
        .compose(resolved -> call.isFinished() ? Future.succeededFuture(null) : authorize(deployment, resolved))
        .onComplete(ar -> {
          if (ar.failed()) {
            call.fail(ar.cause() instanceof GatewayException g ? g
                : new GatewayException(ErrorCode.UPSTREAM_AUTH, "credential cannot be resolved"));
          } else if (!call.isFinished()) {
            try {
              connect(ar.result(), body);
            } catch (GatewayException e) {
              // The endpoint refused to build the request (an invalid base_url): fail, do not hang.
              call.fail(e);
            }
          }
        });
  }

  private void connect(String resolved, Buffer body) {
    credential = resolved;
    RequestOptions options = requestOptions(call.call().deployment(), credential);
    io.tollgate.api.trace.TraceContext trace = call.upstreamTrace();
    if (trace != null) {
      options.putHeader(io.tollgate.api.trace.TraceContext.TRACEPARENT, trace.traceparent());
      if (trace.tracestate() != null) {
        options.putHeader(io.tollgate.api.trace.TraceContext.TRACESTATE, trace.tracestate());
      }
    }
    target = options.getHost() + ":" + options.getPort();
    // The URL actually called, not only base_url: a provider's default host (Vertex's regional
    // endpoint, Gemini's, Anthropic's) must pass the allow-list too.
    String refused = context.egress().refusal(EgressGuard.origin(options));
    if (refused != null) {
      warn("refused by the egress policy", "target " + refused);
      call.fail(EgressGuard.refused(call.call().deployment().id()));
      return;
    }
    call.onAbort(this::abort);
    context.client(options).request(options).onComplete(ar -> {
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
    String refused = EgressGuard.afterConnect(context.egress(), req);
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
      // The status decides the code (the body may refine it); the body is read capped.
      String retryAfter = response.getHeader("retry-after");
      String retryAfterMs = response.getHeader("retry-after-ms");
      BoundedBody.read(request, response, context.options().getMaxErrorBodyBytes()).onComplete(ar -> {
        Buffer bytes = ar.succeeded() ? ar.result().bytes() : Buffer.buffer();
        String said = ar.succeeded() ? errorMessage(bytes) : null;
        warn("answered HTTP " + status + (retryAfter == null ? "" : " (retry-after " + retryAfter + ")"),
            UpstreamErrors.detail(said, credential)
            + (ar.succeeded() && ar.result().truncated() ? " (error body over "
            + context.options().getMaxErrorBodyBytes() + " bytes, not read to the end)" : ""));
        if (status == 401) {
          // A cached access token the upstream no longer takes (revoked, clock skew): fetch a new one next time.
          context.credentials().tokens().rejected(credential);
        }
        GatewayException failure;
        try {
          failure = statusFailure(status, bytes);
        } catch (RuntimeException e) {
          failure = UpstreamErrors.forStatus(status);
        }
        // The upstream's Retry-After travels with the failure: the router waits it out before retrying.
        long waitMs = UpstreamErrors.retryAfterMs(retryAfter, retryAfterMs, System.currentTimeMillis());
        if (waitMs > 0 && failure.retryAfterMs() == 0) {
          failure = new GatewayException(failure.code(), failure.getMessage(), failure.param(), waitMs);
        }
        call.fail(failure);
      });
      return;
    }
    call.started();
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (answersWhole() || type != null && type.contains("json") && !type.contains("event-stream")) {
      readWhole(response);
    } else {
      relayStream(response);
    }
  }

  private void relayStream(HttpClientResponse response) {
    SseParser parser = new SseParser(this::dispatch);
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
      if (completeAtEnd()) {
        call.complete();
      } else {
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, "upstream ended the stream before it was complete"));
      }
    });
  }

  private void dispatch(SseParser.Event event) {
    if (call.isFinished()) {
      return;
    }
    try {
      onEvent(event);
    } catch (GatewayException e) {
      reported(e, event.data());
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
        warn("sent a completion over the limit", "more than " + limit + " bytes; connection reset");
        call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR,
            "upstream response body exceeds the connector's limit of " + limit + " bytes"));
        return;
      }
      Buffer bytes = ar.result().bytes();
      try {
        onWholeBody(bytes);
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
    log.warn("request_id={} deployment={} upstream={}: upstream {}: {}", call.call().requestId(),
        call.call().deployment().id(), target, what, detail);
  }
}
