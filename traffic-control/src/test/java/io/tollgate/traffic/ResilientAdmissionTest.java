package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static io.tollgate.traffic.RedisFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Admission when Redis fails")
class ResilientAdmissionTest {

  private static final TrafficOptions OPTIONS = new TrafficOptions()
      .setRedisTimeoutMs(500)
      .setProbeIntervalMs(100);
  private static EmbeddedRedisServer server;
  private static Vertx vertx;
  private Redis redis;
  private ResilientAdmission admission;

  @BeforeAll
  static void startRedis() {
    server = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() {
    await(vertx.close());
    server.stop();
  }

  @BeforeEach
  void connect() {
    redis = RedisFixture.client(vertx, server, OPTIONS);
    admission = Admission.resilient(vertx, redis, OPTIONS);
    await(admission.start());
    assertThat(admission.degraded()).isFalse();
  }

  @AfterEach
  void close() {
    admission.close();
    await(redis.close());
  }

  private static AdmissionRequest request(String key, Limits limits, long tokens) {
    return RedisFixture.request(key, limits, tokens, null, System.currentTimeMillis());
  }

  private void awaitRecovered() {
    await(RedisFixture.eventually(vertx, 10_000,
        () -> !admission.degraded() && admission.pendingSettlements() == 0));
  }

  @Test
  @DisplayName("Redis stopped: local limits take over, health degrades, usage is replayed when Redis is back")
  void redisStopped() {
    String key = RedisFixture.id();
    Limits limits = new Limits(5L, null, new TokenQuota(null, null, 1_000_000L), null);
    Decision before = await(admission.admit(request(key, limits, 1000)));
    assertThat(before.reservation().origin()).isEqualTo(Reservation.Origin.REDIS);

    server.stop();
    List<Decision> during = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      during.add(await(admission.admit(request(key, limits, 1000))));
    }
    assertThat(admission.degraded()).isTrue();
    assertThat(during).filteredOn(Decision::admitted).hasSize(5)
        .allSatisfy(d -> assertThat(d.reservation().origin()).isEqualTo(Reservation.Origin.LOCAL));
    assertThat(during.get(5).refusal().kind()).isEqualTo(LimitKind.RPM);
    for (Decision d : during.subList(0, 5)) {
      await(admission.settle(d.reservation(), new Settlement(100, null)));
    }
    await(admission.settle(before.reservation(), new Settlement(300, null)));
    assertThat(admission.pendingSettlements()).isGreaterThanOrEqualTo(6);

    server.restart();
    awaitRecovered();
    // The restarted Redis lost its memory; the usage admitted locally was replayed into it, and so
    // was the real usage of the request admitted before the restart: its settlement finds no
    // reservation in the fresh Redis and adds what it used (5 x 100 + 300).
    assertThat(get(redis, OPTIONS.getKeyPrefix() + "tok:k:" + key + ":total")).isEqualTo("800");
    // So were the requests: the key's window in Redis is full of the five admitted locally.
    assertThat(await(admission.admit(request(key, limits, 10))).refusal().kind()).isEqualTo(LimitKind.RPM);
    Decision after = await(admission.admit(request(RedisFixture.id(), limits, 10)));
    assertThat(after.reservation().origin()).isEqualTo(Reservation.Origin.REDIS);
    assertThat(admission.droppedSettlements()).isZero();
  }

  @Test
  @DisplayName("a backlog of thousands of settlements is replayed in batches without exhausting the stack")
  void largeBacklog() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, null, new TokenQuota(null, null, 100_000_000L), null);
    server.stop();
    int requests = 40_000;
    for (int i = 0; i < requests; i++) {
      Decision d = await(admission.admit(request(key, limits, 10)));
      await(admission.settle(d.reservation(), new Settlement(7, null)));
    }
    assertThat(admission.degraded()).isTrue();
    assertThat(admission.pendingSettlements()).isGreaterThanOrEqualTo(requests);

    server.restart();
    awaitRecovered();
    assertThat(get(redis, OPTIONS.getKeyPrefix() + "tok:k:" + key + ":total")).isEqualTo(Long.toString(7L * requests));
  }

  @Test
  @DisplayName("Redis hanging: settlements and timed-out admissions are reconciled exactly once it answers")
  void redisHangs() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, null, new TokenQuota(null, null, 1_000_000L), null);
    Decision before = await(admission.admit(request(key, limits, 1000)));
    String total = OPTIONS.getKeyPrefix() + "tok:k:" + key + ":total";
    assertThat(get(redis, total)).isEqualTo("1000");

    Redis pauser = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
    // Three calls time out at 500 ms each: the pause must outlast all of them with room to spare on a
    // busy machine (at 1,500 ms the third call raced the pause's end).
    await(pauser.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(5000).arg("ALL")));
    // The admit times out and is admitted locally; its script still runs in Redis once the pause
    // ends (reserving 1000 more there), so a release of it is queued.
    Decision during = await(admission.admit(request(key, limits, 1000)));
    assertThat(during.reservation().origin()).isEqualTo(Reservation.Origin.LOCAL);
    assertThat(admission.degraded()).as("one failed call is not an outage").isFalse();
    await(admission.settle(before.reservation(), new Settlement(300, null)));
    await(admission.settle(during.reservation(), new Settlement(200, null)));
    assertThat(admission.degraded()).as("three failed calls in a row are").isTrue();
    // A replay of the queued release may still be in flight (it fails at its own timeout, within
    // the pause): the queue settles at three entries.
    await(RedisFixture.eventually(vertx, 2_000, () -> admission.pendingSettlements() == 3));
    assertThat(admission.pendingSettlements()).isEqualTo(3);

    awaitRecovered();
    assertThat(get(redis, total)).isEqualTo("500");
    await(pauser.close());
  }

  @Test
  @DisplayName("a full settlement queue drops its oldest entry and counts it")
  void boundedQueue() {
    TrafficOptions options = new TrafficOptions().setRedisTimeoutMs(500).setProbeIntervalMs(60_000)
        .setMaxPendingSettlements(2);
    Redis dead = Redis.createClient(vertx, "redis://127.0.0.1:" + deadPort());
    ResilientAdmission open = Admission.resilient(vertx, dead, options);
    try {
      Limits limits = new Limits(100L, null, null, null);
      for (int i = 0; i < ResilientAdmission.FAILURES_TO_DEGRADE; i++) {
        Decision d = await(open.admit(request(RedisFixture.id(), limits, 10)));
        assertThat(d.reservation().origin()).isEqualTo(Reservation.Origin.LOCAL);
        await(open.settle(d.reservation(), new Settlement(10, null)));
      }
      // Three settlements and the release of the first (timed-out) admit: two dropped.
      assertThat(open.pendingSettlements()).isEqualTo(2);
      assertThat(open.droppedSettlements()).isEqualTo(2);
    } finally {
      open.close();
      await(dead.close());
    }
  }

  private static int deadPort() {
    return server.port() + 1 == 65536 ? server.port() - 1 : server.port() + 1;
  }

  @Test
  @DisplayName("fail-closed: with Redis unreachable requests are refused with 503")
  void failClosed() {
    TrafficOptions options = new TrafficOptions().setRedisTimeoutMs(500).setProbeIntervalMs(100).setFailClosed(true);
    Redis dead = Redis.createClient(vertx, "redis://127.0.0.1:" + deadPort());
    ResilientAdmission closed = Admission.resilient(vertx, dead, options);
    try {
      for (int i = 0; i < ResilientAdmission.FAILURES_TO_DEGRADE; i++) {
        Decision d = await(closed.admit(request(RedisFixture.id(), new Limits(100L, null, null, null), 10)));
        assertThat(d.admitted()).isFalse();
        assertThat(d.refusal().code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
      }
      assertThat(closed.degraded()).isTrue();
      // Still refused on the degraded path, without waiting for Redis.
      assertThat(await(closed.admit(request(RedisFixture.id(), Limits.NONE, 10))).refusal().code())
          .isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    } finally {
      closed.close();
      await(dead.close());
    }
  }
}
