package io.tollgate.edge;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@link ClientChannel} over a Vert.x Web routing context. */
final class HttpClientChannel implements ClientChannel {

  static final String ATTEMPTS = "tollgate.attempts";

  private final RoutingContext ctx;
  private final HttpServerResponse response;

  HttpClientChannel(RoutingContext ctx) {
    this.ctx = ctx;
    this.response = ctx.response();
  }

  @Override
  public boolean headWritten() {
    return response.headWritten();
  }

  @Override
  public boolean finished() {
    return response.ended() || response.closed();
  }

  @Override
  public void putHeader(String name, String value) {
    response.putHeader(name, value);
  }

  @Override
  public void startEventStream() {
    response.setStatusCode(200).setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.writeHead();
  }

  @Override
  public void write(Buffer data) {
    response.write(data);
  }

  @Override
  public void end(Buffer data) {
    response.end(data);
  }

  @Override
  public void endJson(Buffer body) {
    response.putHeader("content-type", "application/json").end(body);
  }

  @Override
  public void fail(GatewayException error, List<Attempt> attempts) {
    if (attempts != null) {
      ctx.put(ATTEMPTS, attempts);
    }
    ctx.fail(error);
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable action) {
    response.drainHandler(v -> action.run());
  }

  @Override
  public void reset() {
    response.reset();
  }
}
