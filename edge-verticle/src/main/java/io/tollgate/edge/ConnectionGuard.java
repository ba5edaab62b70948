package io.tollgate.edge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection hygiene of one edge verticle instance (HTTP/1.1): at most {@code maxConnections} open
 * at once, a connection without a request in progress closed after {@code idleTimeoutMs}, and a
 * request whose body has not fully arrived {@code requestReadTimeoutMs} after its headers dropped.
 *
 * <p>Netty's idle timeout is not used: it counts silence in both directions, so it would also cut a
 * non-streaming call waiting minutes for its upstream, while a keep-alive connection should be
 * closed far sooner. Instead one periodic sweep looks at every connection, so a timeout fires
 * between its value and a quarter more. All state belongs to the instance's event loop: the
 * server's connection and request handlers and the sweep all run on it.
 */
final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;
  private static final long MIN_SWEEP_MS = 10;

  private final Vertx vertx;
  private final long idleNanos;
  private final long readNanos;
  private final int maxConnections;
  private final Map<HttpConnection, Tracked> open = new HashMap<>();
  private long refused;
  private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

  /** One open connection: the request in progress (null when none) and since when. */
  private static final class Tracked {
    HttpServerRequest current;
    long sinceNanos;
  }

  ConnectionGuard(Vertx vertx, EdgeOptions options) {
    this.vertx = vertx;
    this.idleNanos = options.idleTimeoutMs() * 1_000_000L;
    this.readNanos = options.requestReadTimeoutMs() * 1_000_000L;
    this.maxConnections = options.maxConnections();
  }

  /** Starts the sweep; call from the verticle's start, on its loop (undeploying it cancels the timer). */
  void start(EdgeOptions options) {
    long period = Math.max(MIN_SWEEP_MS, Math.min(options.idleTimeoutMs(), options.requestReadTimeoutMs()) / 4);
    vertx.setPeriodic(period, id -> sweep(System.nanoTime()));
  }

  /**
   * Server options the guard needs: HTTP/1.1 only. With h2c upgrade enabled Vert.x reports a
   * connection only once its first request head is complete, too late to time a slow head.
   */
  static HttpServerOptions serverOptions() {
    return new HttpServerOptions().setHttp2ClearTextEnabled(false);
  }

  /** The server's connection handler. */
  void onConnection(HttpConnection connection) {
    if (open.size() >= maxConnections) {
      refused++;
      long now = System.nanoTime();
      if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
        lastRefusalLog = now;
        LOG.warn("connection limit of {} reached on this edge instance; {} connections refused so far",
            maxConnections, refused);
      }
      connection.close();
      return;
    }
    Tracked t = new Tracked();
    t.sinceNanos = System.nanoTime();
    open.put(connection, t);
    connection.closeHandler(v -> open.remove(connection));
  }

  /** Wraps the server's request handler so each request is seen as it starts. */
  Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      Tracked t = open.get(request.connection());
      if (t == null) {
        // A connection refused over the limit that still got a request in before it closed.
        request.connection().close();
        return;
      }
      t.current = request;
      t.sinceNanos = System.nanoTime();
      next.handle(request);
    };
  }

  private void sweep(long now) {
    for (Iterator<Map.Entry<HttpConnection, Tracked>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Tracked> e = it.next();
      Tracked t = e.getValue();
      HttpServerRequest request = t.current;
      if (request != null && (request.response().ended() || request.response().closed())) {
        t.current = null;
        t.sinceNanos = now;
        request = null;
      }
      if (request == null && now - t.sinceNanos >= idleNanos) {
        it.remove();
        e.getKey().close();
      } else if (request != null && !request.isEnded() && now - t.sinceNanos >= readNanos) {
        LOG.debug("dropping a connection whose request body did not arrive within {} ms", readNanos / 1_000_000);
        it.remove();
        request.response().reset();
      }
    }
  }
}
