package io.tollgate.billing.reconcile;

import static io.tollgate.billing.TestDb.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.api.Addresses;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.api.usage.ReconcileReport;
import io.tollgate.api.usage.ReconcileReport.Difference;
import io.tollgate.api.usage.ReconcileRequest;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.billing.BillingOptions;
import io.tollgate.billing.BillingVerticle;
import io.tollgate.billing.TestDb;
import io.tollgate.billing.alerts.AlertOptions;
import io.tollgate.traffic.Admission;
import io.tollgate.traffic.AdmissionRequest;
import io.tollgate.traffic.Decision;
import io.tollgate.traffic.RedisAdmission;
import io.tollgate.traffic.Settlement;
import io.tollgate.traffic.TrafficOptions;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Reconciliation: the ledger's day against the limits' Redis counters, on real PostgreSQL and Redis")
class ReconcileTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:20:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-11-27");
  /** The day after, past the hour of the daily run. */
  private static final Clock NEXT_DAY = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC);
  private static final Limits KEY_LIMITS = new Limits(null, null, new TokenQuota(1_000_000L, null, null),
      new BudgetUsd(new BigDecimal("100"), null, null));
  private static final Limits TENANT_LIMITS = new Limits(null, null, null,
      new BudgetUsd(new BigDecimal("500"), null, null));

  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestDb db;
  static Pool pool;
  static EmbeddedRedisServer redisServer;
  static Redis redis;
  static RedisAdmission admission;
  static ReconcileJob job;
  static SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
    db = TestDb.start(dir, vertx);
    pool = db.pool(vertx, 4);
    redisServer = EmbeddedRedisServer.start();
    redis = Redis.createClient(vertx, redisServer.url());
    admission = Admission.redis(redis, new TrafficOptions());
    job = new ReconcileJob(pool, new Reconciler(pool, redis, TrafficOptions.DEFAULT_KEY_PREFIX, NEXT_DAY), NEXT_DAY,
        ReconcileJob.DEFAULT_HOUR_UTC, metrics);
    await(vertx.deployVerticle(new BillingVerticle(new BillingOptions(100, 5, 1_000, 2,
        Clock.fixed(NOW, ZoneOffset.UTC)), pool, AlertOptions.DEFAULTS, metrics, job)));
    await(pool.query("INSERT INTO tenants (id, name, limits, version) VALUES ('tn-r', 'tn-r', "
        + "'{\"budget_usd\":{\"daily\":500}}', 1)").execute());
    await(pool.query("INSERT INTO api_keys (id, tenant_id, name, secret_hash, secret_hint, limits, version) VALUES "
        + "('key-r', 'tn-r', 'r', 'h', 'tg-', '{\"budget_usd\":{\"daily\":100},\"token_quota\":{\"daily\":1000000}}', 1),"
        + "('key-free', 'tn-r', 'free', 'h2', 'tg-', '{}', 1)").execute());
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    redisServer.stop();
    db.close();
  }

  /** One request as the edge runs it: admitted and settled in Redis, its usage event sent to billing. */
  private static UsageEvent request(String id, String key, Limits keyLimits, long prompt, long completion,
                                    String cost) {
    Decision d = await(admission.admit(new AdmissionRequest(id, key, "tn-r", keyLimits, TENANT_LIMITS, null, 2_000,
        new BigDecimal("0.05"), NOW.toEpochMilli())));
    assertThat(d.admitted()).isTrue();
    await(admission.settle(d.reservation(), new Settlement(prompt + completion, new BigDecimal(cost))));
    return new UsageEvent(id, NOW, NOW.plusMillis(300), "tn-r", key, "gpt", "primary", "openai", 1, null,
        new Usage(prompt, completion, 0, 0, false, 0), 300, 50, Outcome.Status.OK, null, null, null, null,
        new BigDecimal(cost));
  }

  private static ReconcileReport viaBus() {
    return await(vertx.eventBus().<ReconcileReport>request(Addresses.BILLING_RECONCILE, new ReconcileRequest(DAY)))
        .body();
  }

  @Test
  @DisplayName("counters settled for billed requests agree (up to the nano-dollar rounding); a deliberate skew is "
      + "reported per key and tenant, and the daily run claims the day once")
  void agreeThenDiffer() {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // 13 decimals: Redis rounds each up to the nano-dollar, the ledger keeps them exact.
      events.add(request("rec-" + i, "key-r", KEY_LIMITS, 100 + i, 20, "0.0012345678901"));
    }
    events.add(request("rec-free", "key-free", Limits.NONE, 50, 5, "0.5"));
    await(vertx.eventBus().request(Addresses.BILLING_USAGE, new UsageBatch(events)));

    ReconcileReport agree = viaBus();
    assertThat(agree.day()).isEqualTo(DAY);
    assertThat(agree.differences()).isEmpty();
    // key-r and the tenant have counters; key-free has no daily limit, so no counter to compare.
    assertThat(agree.checked()).isEqualTo(2);

    // The skew: 5 micro-dollars and 40 tokens counted on key-r that the ledger never billed
    // (as if a settlement had been counted twice), and a request admitted and settled whose usage never
    // reached billing (an edge that died before its outbox delivered).
    await(redis.send(Request.cmd(Command.INCRBY).arg("tg:usd:k:key-r:d:20261127").arg(5_000)));
    await(redis.send(Request.cmd(Command.INCRBY).arg("tg:tok:k:key-r:d:20261127").arg(40)));
    request("rec-lost", "key-free", Limits.NONE, 10, 10, "0.25");

    ReconcileReport differ = viaBus();
    assertThat(differ.differences()).extracting(Difference::scope, Difference::id)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("key", "key-r"),
            org.assertj.core.groups.Tuple.tuple("tenant", "tn-r"));
    Difference key = differ.differences().get(0);
    assertThat(key.ledgerRequests()).isEqualTo(7);
    assertThat(key.ledgerUsd()).isEqualByComparingTo("0.0086419752307");
    // Each request rounded up to 0.001234568 in Redis, plus the skew.
    BigDecimal rounded = new BigDecimal("0.001234568").multiply(BigDecimal.valueOf(7));
    assertThat(key.redisUsd()).isEqualByComparingTo(rounded.add(new BigDecimal("0.000005")));
    assertThat(key.ledgerTokens()).isEqualTo(7 * 120 + 21);
    assertThat(key.redisTokens()).isEqualTo(7 * 120 + 21 + 40);
    Difference tenant = differ.differences().get(1);
    assertThat(tenant.ledgerUsd()).isEqualByComparingTo("0.5086419752307");
    assertThat(tenant.redisUsd()).isEqualByComparingTo(rounded.add(new BigDecimal("0.75")));
    assertThat(tenant.redisTokens()).isNull();

    // The daily run of the next morning: reconciles the 27th once, whichever node ticks first.
    await(job.tick());
    await(job.tick());
    Row run = TestDb.one(pool, "SELECT count(*), max(checked), max(differences), bool_and(finished_at IS NOT NULL) "
        + "FROM reconcile_runs WHERE day = '2026-11-27'");
    assertThat(run.getLong(0)).isEqualTo(1);
    assertThat(run.getInteger(1)).isEqualTo(2);
    assertThat(run.getInteger(2)).isEqualTo(2);
    assertThat(run.getBoolean(3)).isTrue();
    assertThat(metrics.get("tollgate_reconcile_differences").gauge().value()).isEqualTo(2);
    assertThat(metrics.get("tollgate_reconcile_runs").counter().count()).isEqualTo(3);
  }
}
