package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static io.tollgate.traffic.RedisFixture.get;
import static io.tollgate.traffic.RedisFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.keys.Limits;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rate limits in Redis")
class RedisAdmissionTest {

  private static final TrafficOptions OPTIONS = new TrafficOptions();
  private static EmbeddedRedisServer server;
  private static Vertx nodeA;
  private static Vertx nodeB;
  private static Redis redisA;
  private static Redis redisB;
  private static RedisAdmission admissionA;
  private static RedisAdmission admissionB;

  @BeforeAll
  static void start() {
    server = EmbeddedRedisServer.start();
    nodeA = Vertx.vertx();
    nodeB = Vertx.vertx();
    redisA = RedisFixture.client(nodeA, server, OPTIONS);
    redisB = RedisFixture.client(nodeB, server, OPTIONS);
    admissionA = Admission.redis(redisA, OPTIONS);
    admissionB = Admission.redis(redisB, OPTIONS);
  }

  @AfterAll
  static void stop() {
    await(nodeA.close());
    await(nodeB.close());
    server.stop();
  }

  private static Limits rpm(long rpm) {
    return new Limits(rpm, null, null, null);
  }

  private static int admittedOf(List<Future<Decision>> decisions) {
    await(Future.all(decisions));
    return (int) decisions.stream().filter(f -> f.result().admitted()).count();
  }

  @Test
  @DisplayName("two edge nodes sending 30 requests at once to a 10 rpm key admit exactly 10")
  void exactAcrossNodes() {
    String key = RedisFixture.id();
    long now = System.currentTimeMillis();
    List<Future<Decision>> decisions = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      RedisAdmission node = i % 2 == 0 ? admissionA : admissionB;
      decisions.add(node.admit(request(key, rpm(10), 10, null, now + i)));
    }
    assertThat(admittedOf(decisions)).isEqualTo(10);
    Decision refused = decisions.stream().map(Future::result).filter(d -> !d.admitted()).findFirst().orElseThrow();
    assertThat(refused.refusal().code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.refusal().kind()).isEqualTo(LimitKind.RPM);
    assertThat(refused.refusal().message()).isEqualTo("key rate limit of 10 requests per minute exceeded");
    assertThat(refused.headers().remainingRequests()).isZero();
  }

  @Test
  @DisplayName("the window slides: no second burst just after a minute boundary, and a slot frees 60 to 61 s later")
  void noBurstAtBoundary() {
    String key = RedisFixture.id();
    // 300 ms into a one-second bucket, so the bucket's edges are where the assertions say.
    long start = RedisFixture.bucketStart() + 300;
    // Ten requests late in one clock minute ...
    List<Future<Decision>> late = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      late.add(admissionA.admit(request(key, rpm(10), 1, null, start + 50_000)));
    }
    assertThat(admittedOf(late)).isEqualTo(10);
    // ... and ten more just after the next minute starts: a fixed window would admit them all.
    List<Future<Decision>> early = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      early.add(admissionB.admit(request(key, rpm(10), 1, null, start + 61_000)));
    }
    assertThat(admittedOf(early)).isZero();
    Decision refused = early.get(0).result();
    // Their bucket leaves the window 61 s after it began: 700 ms later than the requests' 60 s.
    assertThat(refused.refusal().retryAfterMs()).isEqualTo(49_700);
    assertThat(refused.refusal().retryAfterSeconds()).isEqualTo(50);
    assertThat(refused.headers().resetRequestsMs()).isEqualTo(49_700);
    // 60 s after the first ten they still count (never less than the window), ...
    assertThat(await(admissionA.admit(request(key, rpm(10), 1, null, start + 110_000))).admitted()).isFalse();
    assertThat(await(admissionA.admit(request(key, rpm(10), 1, null, start + 110_699))).admitted()).isFalse();
    // ... and within 61 s they are gone: at their bucket's edge the window is open again.
    assertThat(await(admissionA.admit(request(key, rpm(10), 1, null, start + 110_700))).admitted()).isTrue();
  }

  @Test
  @DisplayName("tokens per minute: reserve the estimate, then settle to the real usage")
  void tpmReserveThenSettle() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, 1000L, null, null);
    long now = System.currentTimeMillis();
    List<Reservation> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Decision d = await(admissionA.admit(request(key, limits, 300, null, now + i)));
      assertThat(d.admitted()).isTrue();
      held.add(d.reservation());
    }
    Decision fourth = await(admissionB.admit(request(key, limits, 300, null, now + 3)));
    assertThat(fourth.admitted()).isFalse();
    assertThat(fourth.refusal().kind()).isEqualTo(LimitKind.TPM);
    assertThat(fourth.refusal().message()).isEqualTo("key rate limit of 1000 tokens per minute exceeded");
    assertThat(fourth.headers().limitTokens()).isEqualTo(1000);
    assertThat(fourth.headers().remainingTokens()).isEqualTo(100);

    await(admissionB.settle(held.get(0), new Settlement(120, null)));
    await(admissionA.settle(held.get(1), new Settlement(80, null)));
    await(admissionB.settle(held.get(2), new Settlement(55, null)));
    String window = OPTIONS.getKeyPrefix() + "tpm:w:k:" + key;
    assertThat(RedisFixture.windowTotal(redisA, window)).isEqualTo("255");

    Decision again = await(admissionA.admit(request(key, limits, 300, null, now + 4)));
    assertThat(again.admitted()).isTrue();
    assertThat(again.headers().remainingTokens()).isEqualTo(1000 - 255 - 300);
    assertThat(RedisFixture.windowTotal(redisA, window)).isEqualTo("555");
  }

  @Test
  @DisplayName("a running token total that went wrong is rebuilt from the buckets once its oldest bucket leaves")
  void totalRebuilt() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, 1000L, null, null);
    long start = RedisFixture.bucketStart();
    await(admissionA.admit(request(key, limits, 300, null, start)));
    await(admissionA.admit(request(key, limits, 400, null, start + 30_000)));
    String window = OPTIONS.getKeyPrefix() + "tpm:w:k:" + key;
    await(redisA.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HSET).arg(window)
        .arg("t").arg("999")));
    assertThat(await(admissionB.admit(request(key, limits, 10, null, start + 30_001))).admitted()).isFalse();
    // The first bucket leaves: the total is the sum of what stays, 400, not 999 - 300.
    Decision d = await(admissionB.admit(request(key, limits, 600, null, start + 61_000)));
    assertThat(d.admitted()).isTrue();
    assertThat(d.headers().remainingTokens()).isZero();
    assertThat(RedisFixture.windowTotal(redisA, window)).isEqualTo("1000");
  }

  @Test
  @DisplayName("a request larger than the whole tpm limit is refused for good")
  void requestLargerThanWindow() {
    Decision d = await(admissionA.admit(request(RedisFixture.id(), new Limits(null, 1000L, null, null), 1500,
        null, System.currentTimeMillis())));
    assertThat(d.refusal().message()).isEqualTo("request of 1500 tokens exceeds the key rate limit of 1000 tokens per minute");
    assertThat(d.refusal().retryAfterSeconds()).isNull();
  }

  @Test
  @DisplayName("settling twice counts once; a cancelled stream settles the tokens it produced")
  void settleIdempotentAndPartial() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, 10_000L, new io.tollgate.api.keys.TokenQuota(null, null, 100_000L), null);
    long now = System.currentTimeMillis();
    Reservation done = await(admissionA.admit(request(key, limits, 2_000, null, now))).reservation();
    Reservation cancelled = await(admissionA.admit(request(key, limits, 2_000, null, now + 1))).reservation();
    String total = OPTIONS.getKeyPrefix() + "tok:k:" + key + ":total";
    assertThat(get(redisA, total)).isEqualTo("4000");

    await(admissionA.settle(done, new Settlement(700, null)));
    await(admissionB.settle(done, new Settlement(700, null)));
    await(admissionB.settle(done, new Settlement(999, null)));
    // The stream was cut after 37 completion tokens of a 500-token prompt.
    await(admissionB.settle(cancelled, new Settlement(537, null)));
    await(admissionA.release(cancelled));

    assertThat(get(redisA, total)).isEqualTo(Long.toString(700 + 537));
    assertThat(RedisFixture.windowTotal(redisA, OPTIONS.getKeyPrefix() + "tpm:w:k:" + key))
        .isEqualTo(Long.toString(700 + 537));
  }

  @Test
  @DisplayName("release of a request that never ran gives back its request and tokens")
  void release() {
    String key = RedisFixture.id();
    Limits limits = new Limits(1L, 500L, null, null);
    long now = System.currentTimeMillis();
    Decision first = await(admissionA.admit(request(key, limits, 400, null, now)));
    assertThat(await(admissionA.admit(request(key, limits, 10, null, now + 1))).admitted()).isFalse();
    await(admissionB.release(first.reservation()));
    assertThat(await(admissionA.admit(request(key, limits, 400, null, now + 2))).admitted()).isTrue();
  }

  @Test
  @DisplayName("rate limit headers report the tightest of key, tenant and gateway; reset is when the oldest bucket leaves")
  void headers() {
    String key = RedisFixture.id();
    String tenant = RedisFixture.id();
    long now = RedisFixture.bucketStart() + 250;
    AdmissionRequest r = new AdmissionRequest(RedisFixture.id(), key, tenant, new Limits(100L, 50_000L, null, null),
        new Limits(3L, null, null, null), new Limits(1000L, null, null, null), 1200, null, now);
    Decision d = await(admissionA.admit(r));
    assertThat(d.headers().toMap()).containsExactly(
        java.util.Map.entry("x-ratelimit-limit-requests", "3"),
        java.util.Map.entry("x-ratelimit-remaining-requests", "2"),
        java.util.Map.entry("x-ratelimit-reset-requests", "1m0.75s"),
        java.util.Map.entry("x-ratelimit-limit-tokens", "50000"),
        java.util.Map.entry("x-ratelimit-remaining-tokens", "48800"),
        java.util.Map.entry("x-ratelimit-reset-tokens", "1m0.75s"));
  }

  @Test
  @DisplayName("a key with no limits is admitted without touching Redis")
  void unlimited() {
    Decision d = await(admissionA.admit(request(RedisFixture.id(), Limits.NONE, 100, BigDecimal.ONE,
        System.currentTimeMillis())));
    assertThat(d.admitted()).isTrue();
    assertThat(d.headers().toMap()).isEmpty();
    await(admissionA.settle(d.reservation(), new Settlement(5, BigDecimal.ONE)));
  }
}
