package io.tollgate.traffic.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis (the binary shipped in codemonstur embedded-redis) on 127.0.0.1 and a free port:
 * the default when no Redis is configured, and the Redis of the tests. In-memory only (no RDB or
 * AOF files): counters are rebuilt from traffic after a restart. {@link #start()} and
 * {@link #stop()} block on the process, so call them off the event loop ({@code executeBlocking}).
 */
public final class EmbeddedRedisServer {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
  public static final String HOST = "127.0.0.1";

  private final int port;
  private RedisServer server;

  private EmbeddedRedisServer(int port) {
    this.port = port;
  }

  /** Starts a Redis on a free loopback port. */
  public static EmbeddedRedisServer start() {
    return start(freePort());
  }

  /** Starts a Redis on this loopback port. */
  public static EmbeddedRedisServer start(int port) {
    EmbeddedRedisServer redis = new EmbeddedRedisServer(port);
    redis.restart();
    return redis;
  }

  /** Starts (again, after {@link #stop()}) on the same port, so clients reconnect by themselves. */
  public synchronized void restart() {
    if (server != null && server.isActive()) {
      return;
    }
    try {
      server = RedisServer.newRedisServer()
          .bind(HOST)
          .port(port)
          .setting("save \"\"")
          .setting("appendonly no")
          .onShutdownForceStop(true)
          .build();
      server.start();
      LOG.info("embedded Redis listening on {}", url());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Redis on port " + port, e);
    }
  }

  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
      LOG.info("embedded Redis on port {} stopped", port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded Redis on port " + port, e);
    }
  }

  public synchronized boolean running() {
    return server != null && server.isActive();
  }

  public int port() {
    return port;
  }

  /** The connection string for vertx-redis-client, e.g. {@code redis://127.0.0.1:6390}. */
  public String url() {
    return "redis://" + HOST + ":" + port;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }
}
