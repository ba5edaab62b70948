package io.tollgate.traffic;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends every command on one long-lived connection, pipelined (Redis answers a connection's
 * commands in order), instead of borrowing a pooled connection for each command and holding it for
 * a whole round trip. With a pool of 8, admission plus settlement at a few thousand requests a
 * second on a busy 2-core machine queued for the pool until calls passed the 250 ms Redis timeout,
 * and the node declared a healthy Redis down and fell back to local limits. A pipeline has no such
 * ceiling: commands wait only for Redis itself.
 *
 * <p>Shared by the node's edge instances: the connection runs its I/O on its own context and
 * completes each command's future on the caller's. A connection that fails or closes is dropped
 * (its commands in flight fail, as they would on any connection) and the next command opens a new
 * one. {@link #connect()} still hands out pooled connections, for anyone who needs a connection of
 * their own.
 */
public final class PipelinedRedis implements Redis {

  private final Redis client;
  private final AtomicReference<Future<RedisConnection>> connection = new AtomicReference<>();

  /** @param client the pooled client the connection is taken from (not closed by {@link #close()}) */
  public PipelinedRedis(Redis client) {
    this.client = client;
  }

  @Override
  public Future<Response> send(Request command) {
    return connection().compose(c -> c.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return connection().compose(c -> c.batch(commands));
  }

  @Override
  public Future<RedisConnection> connect() {
    return client.connect();
  }

  /** Closes the pipeline's connection; the pooled client stays open for its other users. */
  @Override
  public Future<Void> close() {
    Future<RedisConnection> current = connection.getAndSet(null);
    return current == null ? Future.succeededFuture()
        : current.transform(ar -> ar.succeeded() ? ar.result().close() : Future.succeededFuture());
  }

  /** The open connection, or the one being opened; a new one after a failure. */
  private Future<RedisConnection> connection() {
    while (true) {
      Future<RedisConnection> current = connection.get();
      if (current != null && !current.failed()) {
        return current;
      }
      Promise<RedisConnection> opening = Promise.promise();
      if (connection.compareAndSet(current, opening.future())) {
        client.connect().onComplete(ar -> {
          if (ar.succeeded()) {
            RedisConnection c = ar.result();
            c.exceptionHandler(e -> drop(opening.future(), c));
            c.endHandler(v -> drop(opening.future(), c));
            opening.complete(c);
          } else {
            connection.compareAndSet(opening.future(), null);
            opening.fail(ar.cause());
          }
        });
        return opening.future();
      }
    }
  }

  private void drop(Future<RedisConnection> opened, RedisConnection c) {
    if (connection.compareAndSet(opened, null)) {
      c.close();
    }
  }
}
