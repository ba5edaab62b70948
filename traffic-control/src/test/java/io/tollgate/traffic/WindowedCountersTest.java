package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static io.tollgate.traffic.RedisFixture.get;
import static io.tollgate.traffic.RedisFixture.hget;
import static io.tollgate.traffic.RedisFixture.hlen;
import static io.tollgate.traffic.RedisFixture.windowTotal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rpm/tpm windows in Redis: one-second buckets, bounded whatever the traffic, and settle,
 * release, sweep and late usage landing in the request's own bucket while it still counts. Time is
 * the admission's and a clock the tests move, starting on a bucket's edge.
 */
@DisplayName("Windowed rpm and tpm counters in Redis")
class WindowedCountersTest {

  /** Short, so that a sweep can come while the reservation's bucket still counts. */
  private static final long LIFETIME_MS = 500;
  private static EmbeddedRedisServer server;
  private static Vertx vertx;
  private static Vertx otherNode;
  private static Redis redis;
  private static Redis otherRedis;
  private final AtomicLong clock = new AtomicLong();
  private TrafficOptions options;
  private RedisAdmission admission;
  private String key;
  /** The start of a bucket. */
  private long start;

  @BeforeAll
  static void startRedis() {
    server = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    otherNode = Vertx.vertx();
    redis = RedisFixture.client(vertx, server, new TrafficOptions());
    otherRedis = RedisFixture.client(otherNode, server, new TrafficOptions());
  }

  @AfterAll
  static void stopRedis() {
    await(vertx.close());
    await(otherNode.close());
    server.stop();
  }

  @BeforeEach
  void fresh() {
    options = new TrafficOptions().setKeyPrefix("w" + RedisFixture.id() + ":").setReservationTtlMs(LIFETIME_MS);
    admission = new RedisAdmission(redis, options, clock::get);
    key = RedisFixture.id();
    start = RedisFixture.bucketStart();
    clock.set(start);
  }

  private String rpmWindow() {
    return options.getKeyPrefix() + "rpm:w:k:" + key;
  }

  private String tpmWindow() {
    return options.getKeyPrefix() + "tpm:w:k:" + key;
  }

  private static String bucket(long ms) {
    return Long.toString(ms / Plan.BUCKET_MS);
  }

  private Decision admit(Limits limits, long tokens, long at) {
    return await(admission.admit(RedisFixture.request(key, limits, tokens, null, at)));
  }

  private String dailyTokens() {
    return get(redis, options.getKeyPrefix() + "tok:k:" + key + ":d:"
        + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE));
  }

  @Test
  @DisplayName("thousands of admissions keep a window's hash at most 61 buckets plus its total and oldest-bucket fields")
  void boundedFields() {
    Limits limits = new Limits(1_000_000L, 1_000_000_000L, null, null);
    long maxFields = 0;
    // 6,000 requests over 150 s: every bucket gets some, and buckets leave the window all along.
    for (int batch = 0; batch < 60; batch++) {
      List<Future<Decision>> sent = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        long at = start + batch * 2_500L + i * 25L;
        sent.add(admission.admit(RedisFixture.request(key, limits, 10, null, at)));
      }
      await(Future.all(sent));
      assertThat(sent).allMatch(f -> f.result().admitted());
      maxFields = Math.max(maxFields, Math.max(hlen(redis, rpmWindow()), hlen(redis, tpmWindow())));
    }
    assertThat(maxFields).isBetween(50L, (long) Plan.WINDOW_BUCKETS + 3);
    // 40 requests a second until start + 149,975 ms: at 150 s the buckets from 90 s on count.
    Decision next = admit(limits, 10, start + 150_000);
    assertThat(next.headers().remainingRequests()).isEqualTo(1_000_000L - 2_400 - 1);
    assertThat(windowTotal(redis, rpmWindow())).isEqualTo("2401");
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("24010");
  }

  @Test
  @DisplayName("a tpm refusal waits for as many of the oldest buckets as it needs to leave, and says so")
  void retryAfterAcrossBuckets() {
    Limits limits = new Limits(null, 1000L, null, null);
    assertThat(admit(limits, 300, start + 100).admitted()).isTrue();
    assertThat(admit(limits, 300, start + 1_200).admitted()).isTrue();
    assertThat(admit(limits, 300, start + 5_900).admitted()).isTrue();

    // 500 more need 400 freed: the first bucket frees 300, the second 600 with it.
    Decision refused = admit(limits, 500, start + 10_000);
    assertThat(refused.refusal().kind()).isEqualTo(LimitKind.TPM);
    assertThat(refused.refusal().retryAfterMs()).isEqualTo(62_000 - 10_000);
    assertThat(refused.headers().resetTokensMs()).as("the oldest bucket leaves").isEqualTo(61_000 - 10_000);
    // 100 need only the first bucket; 700 all three.
    assertThat(admit(limits, 200, start + 10_000).refusal().retryAfterMs()).isEqualTo(51_000);
    assertThat(admit(limits, 1000, start + 10_000).refusal().retryAfterMs()).isEqualTo(66_000 - 10_000);

    assertThat(admit(limits, 500, start + 61_999).admitted()).isFalse();
    assertThat(admit(limits, 500, start + 62_000).admitted()).isTrue();
    assertThat(hget(redis, tpmWindow(), bucket(start))).as("dropped when it left").isNull();
  }

  @Test
  @DisplayName("a settle in the next bucket corrects the reservation's own bucket; after that bucket left, only the quota changes")
  void settleAcrossBuckets() {
    Limits limits = new Limits(10L, 1000L, new TokenQuota(100_000L, null, null), null);
    Decision first = admit(limits, 400, start + 900);
    Decision second = admit(limits, 300, start + 1_100);
    clock.set(start + 1_500);
    await(admission.settle(first.reservation(), new Settlement(150, null)));
    assertThat(hget(redis, tpmWindow(), bucket(start))).isEqualTo("150");
    assertThat(hget(redis, tpmWindow(), bucket(start + 1_000))).isEqualTo("300");
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("450");
    assertThat(windowTotal(redis, rpmWindow())).as("a settled request still counts").isEqualTo("2");

    // The second request settles 61 s into the window: its bucket has left, and took its 300 with it.
    clock.set(start + 62_000);
    await(admission.settle(second.reservation(), new Settlement(900, null)));
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("450");
    assertThat(dailyTokens()).isEqualTo(Long.toString(150 + 900));
    Decision later = admit(limits, 10, start + 62_000);
    assertThat(later.headers().remainingTokens()).isEqualTo(1000 - 10);
    assertThat(later.headers().remainingRequests()).isEqualTo(10 - 1);
    assertThat(hlen(redis, tpmWindow())).as("total, oldest bucket and one bucket").isEqualTo(3);
  }

  @Test
  @DisplayName("a release takes the request and its tokens out of its own bucket, unless that bucket already left")
  void releaseAcrossBuckets() {
    Limits limits = new Limits(2L, 1000L, null, null);
    Decision first = admit(limits, 400, start + 999);
    Decision second = admit(limits, 400, start + 1_000);
    assertThat(admit(limits, 1, start + 1_001).admitted()).isFalse();
    clock.set(start + 2_000);
    await(admission.release(first.reservation()));
    assertThat(hget(redis, rpmWindow(), bucket(start))).as("an emptied bucket is dropped").isNull();
    assertThat(windowTotal(redis, rpmWindow())).isEqualTo("1");
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("400");
    assertThat(admit(limits, 600, start + 2_000).admitted()).isTrue();

    clock.set(start + 62_000);
    await(admission.release(second.reservation()));
    assertThat(windowTotal(redis, rpmWindow())).as("nothing taken from the buckets that count").isEqualTo("2");
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("1000");
    assertThat(admit(limits, 100, start + 62_000).headers().remainingTokens()).isEqualTo(1000 - 600 - 100);
  }

  @Test
  @DisplayName("the sweeper gives back exactly what was reserved, to the reservation's bucket, or only the quota once the bucket left")
  void sweepAcrossBuckets() {
    // The marker spells out the keys with their length in bytes: any id must parse back.
    key = "clé-ключ-\uD83D\uDD11-" + key;
    Limits limits = new Limits(10L, 1000L, new TokenQuota(100_000L, null, null), null);
    ReservationSweeper sweeper = new ReservationSweeper(vertx, admission, options, clock::get, () -> false);
    Decision settled = admit(limits, 100, start + 200);
    Decision abandoned = admit(limits, 400, start + 800);
    Decision longer = admit(limits, 300, start + 1_100);
    assertThat(settled.admitted() && abandoned.admitted() && longer.admitted()).isTrue();
    clock.set(start + 300);
    await(admission.settle(settled.reservation(), new Settlement(100, null)));

    assertThat(await(sweeper.sweep(start + 1_300))).isEqualTo(1);
    assertThat(hget(redis, tpmWindow(), bucket(start))).isEqualTo("100");
    assertThat(hget(redis, rpmWindow(), bucket(start))).isEqualTo("1");
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("400");
    assertThat(windowTotal(redis, rpmWindow())).isEqualTo("2");
    assertThat(dailyTokens()).isEqualTo("400");

    // The third one's bucket has left the window by its sweep: only the quota gets its 300 back.
    assertThat(await(sweeper.sweep(start + 62_500))).isEqualTo(1);
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("400");
    assertThat(windowTotal(redis, rpmWindow())).isEqualTo("2");
    assertThat(dailyTokens()).isEqualTo("100");
  }

  @Test
  @DisplayName("usage of a request admitted locally while Redis was down lands in its bucket if that still counts")
  void lateUsage() {
    Limits limits = new Limits(10L, 1000L, null, null);
    admit(limits, 100, start + 30_000);
    clock.set(start + 61_500);
    Reservation counts = new Reservation(RedisFixture.request(key, limits, 500, null, start + 1_000),
        Reservation.Origin.LOCAL);
    Reservation gone = new Reservation(RedisFixture.request(key, limits, 500, null, start + 400),
        Reservation.Origin.LOCAL);
    assertThat(await(admission.apply(counts, new Settlement(250, null), RedisAdmission.Mode.LATE))).isTrue();
    assertThat(await(admission.apply(gone, new Settlement(250, null), RedisAdmission.Mode.LATE))).isTrue();
    assertThat(await(admission.apply(counts, new Settlement(250, null), RedisAdmission.Mode.LATE)))
        .as("replayed once").isFalse();
    assertThat(hget(redis, tpmWindow(), bucket(start + 1_000))).isEqualTo("250");
    assertThat(hget(redis, tpmWindow(), bucket(start))).isNull();
    assertThat(windowTotal(redis, tpmWindow())).isEqualTo("350");
    assertThat(windowTotal(redis, rpmWindow())).isEqualTo("2");
    // The late bucket is now the oldest: the next refusal's reset and Retry-After follow it.
    Decision refused = admit(limits, 700, start + 61_500);
    assertThat(refused.headers().resetTokensMs()).isEqualTo(62_000 - 61_500);
    assertThat(refused.refusal().retryAfterMs()).isEqualTo(62_000 - 61_500);
  }

  @Test
  @DisplayName("two edge nodes admitting at once over three minutes never let more than the limit through in any rolling 60 s")
  void neverOverAnyRollingWindow() {
    long limit = 40;
    Limits limits = new Limits(limit, null, null, null);
    RedisAdmission other = new RedisAdmission(otherRedis, options, clock::get);
    List<Long> admitted = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (long at = start; at < start + 180_000; at += 250 + random.nextInt(500)) {
      List<Future<Decision>> sent = new ArrayList<>();
      int burst = 1 + random.nextInt(6);
      for (int i = 0; i < burst; i++) {
        sent.add(admission.admit(RedisFixture.request(key, limits, 1, null, at)));
        sent.add(other.admit(RedisFixture.request(key, limits, 1, null, at + i)));
      }
      await(Future.all(sent));
      for (Future<Decision> f : sent) {
        if (f.result().admitted()) {
          admitted.add(f.result().reservation().request().nowMs());
        }
      }
    }
    admitted.sort(null);
    for (int i = 0; i < admitted.size(); i++) {
      long end = admitted.get(i);
      long inWindow = admitted.stream().filter(t -> t > end - Plan.WINDOW_MS && t <= end).count();
      assertThat(inWindow).as("admitted in the 60 s up to %d", end - start).isLessThanOrEqualTo(limit);
    }
    // Not vacuous: the limit was reached in each of the three minutes.
    assertThat(admitted.size()).isGreaterThanOrEqualTo(3 * (int) limit - 5);
  }
}
