package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static io.tollgate.traffic.RedisFixture.get;
import static io.tollgate.traffic.RedisFixture.windowTotal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Nodes of the windowed-counter version next to nodes still on the sliding-log scripts. */
@DisplayName("Rolling upgrade from the sliding-log scripts")
class SlidingLogUpgradeTest {

  private static final long LIFETIME_MS = 500;
  private static EmbeddedRedisServer server;
  private static Vertx vertx;
  private static Redis redis;
  private final AtomicLong clock = new AtomicLong();
  private final TrafficOptions options =
      new TrafficOptions().setKeyPrefix("u" + RedisFixture.id() + ":").setReservationTtlMs(LIFETIME_MS);
  private final String key = RedisFixture.id();
  private final long start = RedisFixture.bucketStart();

  @BeforeAll
  static void startRedis() {
    server = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    redis = RedisFixture.client(vertx, server, new TrafficOptions());
  }

  @AfterAll
  static void stopRedis() {
    await(vertx.close());
    server.stop();
  }

  private String daily() {
    return options.getKeyPrefix() + "tok:k:" + key + ":d:"
        + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
  }

  /**
   * What a node on the sliding-log scripts left in Redis for one reservation: its marker (JSON, the
   * amounts as strings), its entry in the index; its rpm/tpm entries went to the old ZSET keys.
   */
  private AdmissionRequest reservedByOldNode(Limits limits, long tokens, long at) {
    AdmissionRequest r = RedisFixture.request(key, limits, tokens, null, at);
    String p = options.getKeyPrefix();
    String daily = daily();
    String marker = "[[\"q\",\"" + daily + "\",\"" + daily + "\",\"" + tokens + "\"],[\"c\",\"" + p + "rpm:k:" + key
        + "\",\"" + p + "rpm:k:" + key + "\",\"1\"],[\"s\",\"" + p + "tpm:k:" + key + "\",\"" + p + "tpm:k:" + key
        + ":sum\",\"" + tokens + "\"]]";
    await(redis.send(Request.cmd(Command.INCRBY).arg(daily).arg(tokens)));
    await(redis.send(Request.cmd(Command.SET)
        .arg(Plan.marker(p, r.requestId())).arg(marker)));
    await(redis.send(Request.cmd(Command.ZADD)
        .arg(Plan.openIndex(p)).arg(at + LIFETIME_MS).arg(r.requestId())));
    return r;
  }

  @Test
  @DisplayName("during a rolling upgrade, reservations made by a sliding-log node settle and sweep exactly on the quotas")
  void reservationsOfOldNodes() {
    RedisAdmission admission = new RedisAdmission(redis, options, clock::get);
    Limits limits = new Limits(10L, 1000L, new TokenQuota(100_000L, null, null), null);
    AdmissionRequest settled = reservedByOldNode(limits, 400, start + 100);
    AdmissionRequest abandoned = reservedByOldNode(limits, 300, start + 200);
    assertThat(get(redis, daily())).isEqualTo("700");

    clock.set(start + 300);
    await(admission.settle(new Reservation(settled, Reservation.Origin.REDIS), new Settlement(250, null)));
    assertThat(get(redis, daily())).as("400 reserved, 250 used").isEqualTo("550");
    // Its estimate is not in the new windows: its real usage is added there, once.
    assertThat(windowTotal(redis, options.getKeyPrefix() + "tpm:w:k:" + key)).isEqualTo("250");
    assertThat(windowTotal(redis, options.getKeyPrefix() + "rpm:w:k:" + key)).isEqualTo("1");

    ReservationSweeper sweeper = new ReservationSweeper(vertx, admission, options, clock::get, () -> false);
    assertThat(await(sweeper.sweep(start + 1_000))).isEqualTo(1);
    assertThat(get(redis, daily())).isEqualTo("250");
    assertThat(windowTotal(redis, options.getKeyPrefix() + "tpm:w:k:" + key)).isEqualTo("250");
    assertThat(get(redis, Plan.marker(options.getKeyPrefix(), abandoned.requestId()))).isNull();
  }
}
