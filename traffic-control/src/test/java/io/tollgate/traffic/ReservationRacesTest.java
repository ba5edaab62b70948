package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static io.tollgate.traffic.RedisFixture.get;
import static io.tollgate.traffic.RedisFixture.zcard;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Admission can neither lose nor double-count: the orders that timeouts and crashes produce, played
 * for real against Redis (each message sent in the order under test, not held back by a pause).
 */
@DisplayName("Reservations under races and crashes")
class ReservationRacesTest {

  /** Short enough that the sweep happens while rpm/tpm entries are still in their 60 s window. */
  private static final long LIFETIME_MS = 10_000;
  private static final Limits LIMITS = new Limits(1_000L, 1_000_000L,
      new TokenQuota(1_000_000L, 10_000_000L, 100_000_000L), new BudgetUsd(new BigDecimal("10"), null, null));
  private static EmbeddedRedisServer server;
  private static Vertx vertx;
  private static Vertx otherNode;
  private static Redis redis;
  private static Redis otherRedis;
  private TrafficOptions options;
  private RedisAdmission admission;
  private String key;
  private long now;

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
  void freshPrefix() {
    // Each test its own key space, so its index holds only its own reservations.
    options = new TrafficOptions().setKeyPrefix("t" + RedisFixture.id() + ":").setReservationTtlMs(LIFETIME_MS);
    admission = Admission.redis(redis, options);
    key = RedisFixture.id();
    now = System.currentTimeMillis();
  }

  private AdmissionRequest request(long tokens, String cost) {
    return new AdmissionRequest(RedisFixture.id(), key, null, LIMITS, null, null, tokens, new BigDecimal(cost), now);
  }

  /** Some usage already on every counter, so that a give-back that goes too far shows. */
  private Map<String, String> baseline() {
    AdmissionRequest r = request(500, "0.002");
    Decision d = await(admission.admit(r));
    assertThat(d.admitted()).isTrue();
    await(admission.settle(d.reservation(), new Settlement(400, new BigDecimal("0.0015"))));
    return counters();
  }

  /** Every counter a request of this key touches, by name. */
  private Map<String, String> counters() {
    String p = options.getKeyPrefix();
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    Map<String, String> c = new LinkedHashMap<>();
    c.put("tokens daily", get(redis, p + "tok:k:" + key + ":d:" + day.format(DateTimeFormatter.BASIC_ISO_DATE)));
    c.put("tokens monthly", get(redis, p + "tok:k:" + key + ":m:" + day.format(DateTimeFormatter.ofPattern("yyyyMM"))));
    c.put("tokens total", get(redis, p + "tok:k:" + key + ":total"));
    c.put("usd daily", get(redis, p + "usd:k:" + key + ":d:" + day.format(DateTimeFormatter.BASIC_ISO_DATE)));
    c.put("tpm", RedisFixture.windowTotal(redis, p + "tpm:w:k:" + key));
    c.put("rpm", RedisFixture.windowTotal(redis, p + "rpm:w:k:" + key));
    return c;
  }

  private long open() {
    return zcard(redis, Plan.openIndex(options.getKeyPrefix()));
  }

  private static Map<String, String> plus(Map<String, String> base, long tokens, long nanoUsd, long requests) {
    Map<String, String> c = new LinkedHashMap<>(base);
    for (String name : List.of("tokens daily", "tokens monthly", "tokens total", "tpm")) {
      c.put(name, Long.toString(Long.parseLong(c.get(name)) + tokens));
    }
    c.put("usd daily", Long.toString(Long.parseLong(c.get("usd daily")) + nanoUsd));
    c.put("rpm", Long.toString(Long.parseLong(c.get("rpm")) + requests));
    return c;
  }

  @Test
  @DisplayName("a release that reaches Redis before its admit: the late admit reserves nothing and says so")
  void releaseBeforeAdmit() {
    Map<String, String> before = baseline();
    AdmissionRequest r = request(1000, "0.01");
    // The order a timed-out admit produces: its queued release overtakes the admit still on its way.
    await(admission.release(new Reservation(r, Reservation.Origin.REDIS)));
    Decision late = await(admission.admit(r));

    assertThat(late.admitted()).isFalse();
    assertThat(late.refusal().code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(late.refusal().kind()).isNull();
    assertThat(counters()).isEqualTo(before);
    assertThat(open()).as("nothing left for the sweeper").isZero();
    assertThat(await(admission.admit(r)).admitted()).as("nor on a second try").isFalse();
    assertThat(counters()).isEqualTo(before);
  }

  @Test
  @DisplayName("a settle that reaches Redis before its admit counts the real usage once; the admit adds no estimate")
  void settleBeforeAdmit() {
    Map<String, String> before = baseline();
    AdmissionRequest r = request(1000, "0.01");
    Reservation reservation = new Reservation(r, Reservation.Origin.REDIS);
    Settlement real = new Settlement(300, new BigDecimal("0.002"));
    await(admission.settle(reservation, real));
    Map<String, String> expected = plus(before, 300, 2_000_000, 1);
    assertThat(counters()).isEqualTo(expected);

    assertThat(await(admission.admit(r)).admitted()).isFalse();
    await(admission.settle(reservation, real));
    await(admission.release(reservation));
    assertThat(counters()).isEqualTo(expected);
    assertThat(open()).isZero();
  }

  @Test
  @DisplayName("a settle after its admit replaces the estimate, and a repeat of it or a late release changes nothing")
  void settleIsIdempotent() {
    Map<String, String> before = baseline();
    Decision d = await(admission.admit(request(1000, "0.01")));
    assertThat(open()).isEqualTo(1);
    Settlement real = new Settlement(250, new BigDecimal("0.001"));
    await(admission.settle(d.reservation(), real));
    await(admission.settle(d.reservation(), real));
    await(admission.release(d.reservation()));
    assertThat(counters()).isEqualTo(plus(before, 250, 1_000_000, 1));
    assertThat(open()).isZero();
    assertThat(await(new ReservationSweeper(vertx, admission, options, () -> 0, () -> false)
        .sweep(now + 2 * LIFETIME_MS))).as("a settled reservation is not swept").isZero();
    assertThat(counters()).isEqualTo(plus(before, 250, 1_000_000, 1));
  }

  @Test
  @DisplayName("a reservation whose holder vanished is swept after its lifetime, and every counter returns to its exact value")
  void abandonedReservationIsSwept() {
    Map<String, String> before = baseline();
    ReservationSweeper sweeper = new ReservationSweeper(vertx, admission, options, () -> 0, () -> false);
    Decision d = await(admission.admit(request(1000, "0.01")));
    Map<String, String> held = plus(before, 1000, 10_000_000, 1);
    assertThat(counters()).isEqualTo(held);

    assertThat(await(sweeper.sweep(now + LIFETIME_MS - 1))).as("not yet due").isZero();
    assertThat(counters()).isEqualTo(held);
    assertThat(await(sweeper.sweep(now + LIFETIME_MS))).isEqualTo(1);
    assertThat(counters()).isEqualTo(before);
    assertThat(open()).isZero();
    assertThat(get(redis, Plan.marker(options.getKeyPrefix(), d.reservation().requestId()))).isNull();
    assertThat(await(sweeper.sweep(now + 3 * LIFETIME_MS))).as("given back once").isZero();
    assertThat(counters()).isEqualTo(before);

    // The holder was only slow after all: its real usage still counts, once.
    Settlement real = new Settlement(200, new BigDecimal("0.0005"));
    await(admission.settle(d.reservation(), real));
    await(admission.settle(d.reservation(), real));
    assertThat(counters()).isEqualTo(plus(before, 200, 500_000, 1));
  }

  @Test
  @DisplayName("two nodes sweeping at once give each abandoned reservation back exactly once")
  void concurrentSweepers() {
    Map<String, String> before = baseline();
    int abandoned = 40;
    for (int i = 0; i < abandoned; i++) {
      assertThat(await(admission.admit(request(1000, "0.01"))).admitted()).isTrue();
    }
    assertThat(counters()).isEqualTo(plus(before, 1000L * abandoned, 10_000_000L * abandoned, abandoned));
    TrafficOptions small = new TrafficOptions(options.toJson()).setSweepBatch(3);
    ReservationSweeper a = new ReservationSweeper(vertx, admission, small, () -> 0, () -> false);
    ReservationSweeper b = new ReservationSweeper(otherNode, Admission.redis(otherRedis, small), small, () -> 0,
        () -> false);
    List<Future<Integer>> sweeps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sweeps.add(a.sweep(now + LIFETIME_MS));
      sweeps.add(b.sweep(now + LIFETIME_MS));
    }
    await(Future.all(sweeps));
    assertThat(sweeps.stream().mapToInt(Future::result).sum()).isEqualTo(abandoned);
    assertThat(counters()).isEqualTo(before);
    assertThat(open()).isZero();
  }

  @Test
  @DisplayName("every node sweeps by itself on a timer, judging age by the clock it is given")
  void sweeperRunsOnATimer() {
    Map<String, String> before = baseline();
    AtomicLong clock = new AtomicLong(now);
    TrafficOptions timed = new TrafficOptions(options.toJson()).setSweepIntervalMs(20);
    ResilientAdmission node = new ResilientAdmission(vertx, Admission.redis(redis, timed), timed, clock::get);
    try {
      await(node.start());
      assertThat(await(node.admit(request(1000, "0.01"))).admitted()).isTrue();
      Map<String, String> held = plus(before, 1000, 10_000_000, 1);
      // Several sweeps run with the clock short of the deadline: nothing is given back.
      await(RedisFixture.eventually(vertx, 5_000, () -> node.sweeper().sweeps() >= 3));
      assertThat(counters()).isEqualTo(held);
      clock.set(now + LIFETIME_MS);
      await(RedisFixture.eventually(vertx, 5_000, () -> node.releasedReservations() == 1));
      assertThat(counters()).isEqualTo(before);
      assertThat(open()).isZero();
    } finally {
      node.close();
    }
  }
}
