package io.tollgate.traffic;

import static io.tollgate.traffic.RedisFixture.await;
import static io.tollgate.traffic.RedisFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Token quotas and cost budgets in Redis")
class QuotaAndBudgetTest {

  private static final TrafficOptions OPTIONS = new TrafficOptions();
  /** $1 per million prompt tokens, $2 per million completion tokens. */
  private static final DeploymentConfig PRICED = new DeploymentConfig("d1", "mock", null, null, null, null, null,
      null, null, new BigDecimal("1.00"), new BigDecimal("2.00"), new BigDecimal("0.25"));
  private static EmbeddedRedisServer server;
  private static Vertx vertx;
  private static Redis redis;
  private static RedisAdmission admission;

  @BeforeAll
  static void start() {
    server = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    redis = RedisFixture.client(vertx, server, OPTIONS);
    admission = Admission.redis(redis, OPTIONS);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    server.stop();
  }

  private static Decision admit(String tenant, String key, Limits keyLimits, Limits tenantLimits, long tokens,
                                BigDecimal cost, long now) {
    return await(admission.admit(new AdmissionRequest(RedisFixture.id(), key, tenant, keyLimits, tenantLimits,
        null, tokens, cost, now)));
  }

  /** Noon UTC today: far enough from midnight for the day arithmetic below. */
  private static long noonToday() {
    return LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  @Test
  @DisplayName("prices are exact decimals, cached prompt tokens at the cached price")
  void pricing() {
    assertThat(Pricing.cost(PRICED, 1000, 0, 1000)).isEqualByComparingTo("0.003");
    assertThat(Pricing.cost(PRICED, 1000, 400, 10)).isEqualByComparingTo("0.00072");
    assertThat(Pricing.toNanos(new BigDecimal("0.003"))).isEqualTo(3_000_000);
    assertThat(Pricing.fromNanos(3_000_000)).isEqualByComparingTo("0.003");
  }

  @Test
  @DisplayName("a $0.01 monthly budget stops the fourth $0.003 request and counts to the nano-dollar")
  void budgetStopsAtTheRightRequest() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, null, null, new BudgetUsd(null, new BigDecimal("0.01"), null));
    BigDecimal each = Pricing.cost(PRICED, 1000, 0, 1000);
    long now = noonToday();
    for (int i = 0; i < 3; i++) {
      Decision d = admit(null, key, limits, null, 2000, each, now);
      assertThat(d.admitted()).isTrue();
      await(admission.settle(d.reservation(), new Settlement(2000, each)));
    }
    Decision fourth = admit(null, key, limits, null, 2000, each, now);
    assertThat(fourth.admitted()).isFalse();
    assertThat(fourth.refusal().code()).isEqualTo(ErrorCode.INSUFFICIENT_QUOTA);
    assertThat(fourth.refusal().kind()).isEqualTo(LimitKind.BUDGET_MONTHLY);
    assertThat(fourth.refusal().message()).isEqualTo("key monthly budget of $0.01 exhausted");
    String month = LocalDate.now(ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("yyyyMM"));
    assertThat(get(redis, OPTIONS.getKeyPrefix() + "usd:k:" + key + ":m:" + month)).isEqualTo("9000000");
    // $0.001 left: a cheaper request still fits exactly, a nano-dollar more would not.
    assertThat(admit(null, key, limits, null, 10, new BigDecimal("0.001000001"), now).admitted()).isFalse();
    assertThat(admit(null, key, limits, null, 10, new BigDecimal("0.001"), now).admitted()).isTrue();
  }

  @Test
  @DisplayName("settling a cheaper real cost gives the difference back to the budget")
  void budgetSettlesToRealCost() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, null, null, new BudgetUsd(new BigDecimal("10"), null, null));
    Decision d = admit(null, key, limits, null, 0, new BigDecimal("9.50"), noonToday());
    assertThat(admit(null, key, limits, null, 0, new BigDecimal("1"), noonToday()).refusal().message())
        .isEqualTo("key daily budget of $10.00 exhausted");
    await(admission.settle(d.reservation(), new Settlement(0, new BigDecimal("0.123456789"))));
    assertThat(admit(null, key, limits, null, 0, new BigDecimal("9.876543211"), noonToday()).admitted()).isTrue();
    assertThat(admit(null, key, limits, null, 0, new BigDecimal("0.000000001"), noonToday()).admitted()).isFalse();
  }

  @Test
  @DisplayName("a daily token quota resets at UTC midnight and says when")
  void dailyQuota() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, null, new TokenQuota(1000L, null, null), null);
    long noon = noonToday();
    assertThat(admit(null, key, limits, null, 600, null, noon).admitted()).isTrue();
    Decision refused = admit(null, key, limits, null, 600, null, noon);
    assertThat(refused.refusal().kind()).isEqualTo(LimitKind.TOKENS_DAILY);
    assertThat(refused.refusal().message()).isEqualTo("key daily token quota of 1000 tokens exhausted");
    assertThat(refused.refusal().retryAfterMs()).isEqualTo(12 * 3_600_000L);
    assertThat(admit(null, key, limits, null, 600, null, noon + 12 * 3_600_000L).admitted()).isTrue();
  }

  @Test
  @DisplayName("a tenant's monthly quota covers all its keys together")
  void monthlyTenantQuota() {
    String tenant = RedisFixture.id();
    Limits limits = new Limits(null, null, new TokenQuota(null, 1500L, null), null);
    long now = noonToday();
    assertThat(admit(tenant, RedisFixture.id(), null, limits, 1000, null, now).admitted()).isTrue();
    Decision refused = admit(tenant, RedisFixture.id(), null, limits, 1000, null, now);
    assertThat(refused.refusal().scope()).isEqualTo(LimitScope.TENANT);
    assertThat(refused.refusal().message()).isEqualTo("tenant monthly token quota of 1500 tokens exhausted");
    long nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC)
        .toInstant().toEpochMilli();
    assertThat(refused.refusal().retryAfterMs()).isEqualTo(nextMonth - now);
  }

  @Test
  @DisplayName("a total quota never resets and its refusal has no Retry-After")
  void totalQuota() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, null, new TokenQuota(null, null, 500L), null);
    Decision d = admit(null, key, limits, null, 500, null, noonToday());
    await(admission.settle(d.reservation(), new Settlement(450, null)));
    assertThat(admit(null, key, limits, null, 51, null, noonToday()).admitted()).isFalse();
    Decision later = admit(null, key, limits, null, 51, null, noonToday() + 40L * 86_400_000L);
    assertThat(later.refusal().kind()).isEqualTo(LimitKind.TOKENS_TOTAL);
    assertThat(later.refusal().retryAfterSeconds()).isNull();
    assertThat(admit(null, key, limits, null, 50, null, noonToday()).admitted()).isTrue();
  }

  @Test
  @DisplayName("counts are 64-bit: a 5-billion daily quota and a 6-billion tpm admit, count and refuse to the token")
  void billionsOfTokens() {
    String key = RedisFixture.id();
    Limits limits = new Limits(null, 6_000_000_000L, new TokenQuota(5_000_000_000L, null, null), null);
    String daily = OPTIONS.getKeyPrefix() + "tok:k:" + key + ":d:"
        + LocalDate.now(ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    long now = System.currentTimeMillis();
    Decision big = admit(null, key, limits, null, 4_999_999_000L, null, now);
    assertThat(big.admitted()).isTrue();
    assertThat(get(redis, daily)).isEqualTo("4999999000");
    assertThat(RedisFixture.windowTotal(redis, OPTIONS.getKeyPrefix() + "tpm:w:k:" + key)).isEqualTo("4999999000");
    assertThat(big.headers().limitTokens()).isEqualTo(6_000_000_000L);
    assertThat(big.headers().remainingTokens()).isEqualTo(1_000_001_000L);

    Decision over = admit(null, key, limits, null, 1001, null, now);
    assertThat(over.refusal().kind()).isEqualTo(LimitKind.TOKENS_DAILY);
    assertThat(over.refusal().message()).isEqualTo("key daily token quota of 5000000000 tokens exhausted");
    assertThat(admit(null, key, limits, null, 1000, null, now).admitted()).isTrue();
    assertThat(get(redis, daily)).isEqualTo("5000000000");

    await(admission.settle(big.reservation(), new Settlement(4_000_000_000L, null)));
    assertThat(get(redis, daily)).isEqualTo("4000001000");
    assertThat(RedisFixture.windowTotal(redis, OPTIONS.getKeyPrefix() + "tpm:w:k:" + key)).isEqualTo("4000001000");
  }
}
