package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Pipelined Redis: every command on one connection, answered on the caller's context, reopened after a failure")
class PipelinedRedisTest {

  private static EmbeddedRedisServer server;
  private static Vertx vertx;
  private static Redis pool;
  private static Redis observer;

  @BeforeAll
  static void start() {
    server = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    pool = RedisFixture.client(vertx, server, new TrafficOptions());
    observer = RedisFixture.client(vertx, server, new TrafficOptions());
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    server.stop();
  }

  /** Connections Redis has open for clients named by {@code CLIENT SETNAME name}. */
  private static long connectionsNamed(String name) {
    String list = await(observer.send(Request.cmd(Command.CLIENT).arg("LIST"))).toString();
    return list.lines().filter(l -> l.contains(" name=" + name + " ")).count();
  }

  private static long connections() {
    return await(observer.send(Request.cmd(Command.CLIENT).arg("LIST"))).toString().lines().count();
  }

  /** {@code n} INCRs sent at once from each of two event-loop contexts; each answer checked on its caller's context. */
  private static List<Future<Long>> burst(Redis redis, String key, int n) {
    List<Future<Long>> answers = new ArrayList<>();
    for (Context context : List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext())) {
      Promise<List<Future<Long>>> sent = Promise.promise();
      context.runOnContext(v -> {
        List<Future<Long>> mine = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          mine.add(redis.send(Request.cmd(Command.INCR).arg(key)).map(r -> {
            if (Vertx.currentContext() != context) {
              throw new AssertionError("answered on another context");
            }
            return r.toLong();
          }));
        }
        sent.complete(mine);
      });
      answers.addAll(await(sent.future()));
    }
    return answers;
  }

  @Test
  @DisplayName("2,000 concurrent commands from two contexts travel on one connection and all succeed")
  void oneConnection() {
    PipelinedRedis redis = new PipelinedRedis(pool);
    String name = "pipe" + System.nanoTime();
    await(redis.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(name)));
    long before = connections();
    List<Future<Long>> answers = burst(redis, "pipelined:" + name, 1_000);
    await(Future.all(answers));
    assertThat(answers).allMatch(Future::succeeded);
    assertThat(answers.stream().map(Future::result).distinct().count()).isEqualTo(2_000);
    assertThat(connectionsNamed(name)).isEqualTo(1);
    assertThat(connections()).isEqualTo(before);
    await(redis.close());

    // The same burst through a pool borrows connection after connection (what the pipeline replaces).
    Redis fresh = RedisFixture.client(vertx, server, new TrafficOptions());
    await(fresh.send(Request.cmd(Command.PING)));
    long pooledBefore = connections();
    await(Future.all(burst(fresh, "pooled:" + name, 1_000)));
    assertThat(connections()).isGreaterThan(pooledBefore);
    await(fresh.close());
  }

  @Test
  @DisplayName("a connection the server kills is dropped, and the next command opens a new one")
  void reconnects() {
    PipelinedRedis redis = new PipelinedRedis(pool);
    String name = "killed" + System.nanoTime();
    await(redis.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(name)));
    // Redis 6 cannot kill by name: find the pipeline's address.
    String list = await(observer.send(Request.cmd(Command.CLIENT).arg("LIST"))).toString();
    String addr = list.lines().filter(l -> l.contains(" name=" + name + " ")).findFirst()
        .map(l -> l.replaceAll(".* addr=(\\S+) .*", "$1")).orElseThrow();
    await(observer.send(Request.cmd(Command.CLIENT).arg("KILL").arg(addr)));
    // Commands fail until the client has seen the close; then a new connection answers.
    long answered = 0;
    for (int i = 0; i < 100 && answered == 0; i++) {
      Future<io.vertx.redis.client.Response> ping = redis.send(Request.cmd(Command.PING));
      answered = await(ping.map(r -> 1L).recover(e -> Future.succeededFuture(0L)));
    }
    assertThat(answered).isEqualTo(1);
    assertThat(connectionsNamed(name)).isZero();
    await(redis.close());
  }
}
