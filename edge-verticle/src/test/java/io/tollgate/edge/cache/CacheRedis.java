package io.tollgate.edge.cache;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The tests' Redis: a real embedded one, a port nothing listens on, and a server that accepts and never answers. */
final class CacheRedis {

  private CacheRedis() {
  }

  static Redis client(Vertx vertx, String url) {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
  }

  static double count(SimpleMeterRegistry registry, String name, String cache, String result) {
    var counter = registry.find(name).tag("cache", cache).tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A TCP server that accepts connections and reads nothing back: a hung Redis. */
  static final class Hung implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    Hung() {
      try {
        server = new ServerSocket(0, 50, InetAddress.getByName(EmbeddedRedisServer.HOST));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            accepted.add(server.accept());
          } catch (IOException e) {
            return;
          }
        }
      }, "hung-redis");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "redis://" + EmbeddedRedisServer.HOST + ":" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
