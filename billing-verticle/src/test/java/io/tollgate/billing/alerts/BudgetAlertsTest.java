package io.tollgate.billing.alerts;

import static io.tollgate.billing.TestDb.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.api.Addresses;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.billing.BillingOptions;
import io.tollgate.billing.BillingVerticle;
import io.tollgate.billing.TestDb;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Budget alerts: fired once cluster-wide from the rollups, delivered to webhooks with retries")
class BudgetAlertsTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:20:00Z");
  private static final BillingOptions OPTIONS = new BillingOptions(100, 5, 1_000, 2, Clock.fixed(NOW, ZoneOffset.UTC));
  /** Retries 10, 20, 40 ms apart: the test awaits the verticle going idle, it never sleeps. */
  private static final AlertOptions ALERTS = AlertOptions.DEFAULTS.withDelivery(4, 2_000, 10, 100)
      .withEvaluateEveryMs(0);
  private static final AtomicInteger IDS = new AtomicInteger();

  @TempDir
  static Path dir;
  static Vertx nodeA;
  static Vertx nodeB;
  static TestDb db;
  static Pool pool;
  static BillingVerticle billingA;
  static BillingVerticle billingB;
  static SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
  static SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
  private final List<Receiver> receivers = new ArrayList<>();

  @BeforeAll
  static void start() {
    nodeA = Vertx.vertx();
    nodeB = Vertx.vertx();
    Codecs.registerAll(nodeA);
    Codecs.registerAll(nodeB);
    db = TestDb.start(dir, nodeA);
    pool = db.pool(nodeA, 4);
    billingA = new BillingVerticle(OPTIONS, pool, ALERTS, metricsA);
    billingB = new BillingVerticle(OPTIONS, db.pool(nodeB, 4), ALERTS, metricsB);
    await(nodeA.deployVerticle(billingA));
    await(nodeB.deployVerticle(billingB));
  }

  @AfterAll
  static void stop() {
    await(nodeA.close());
    await(nodeB.close());
    db.close();
  }

  @BeforeEach
  void empty() {
    await(pool.query("TRUNCATE usage_ledger, usage_hourly, budget_alerts, webhooks, api_keys, tenants CASCADE").execute());
  }

  @AfterEach
  void closeReceivers() {
    receivers.forEach(Receiver::close);
  }

  private Receiver receiver(java.util.function.IntUnaryOperator status) {
    Receiver r = new Receiver(nodeA, status);
    receivers.add(r);
    return r;
  }

  private static void tenant(String id, String limits) {
    await(pool.preparedQuery("INSERT INTO tenants (id, name, limits, version) VALUES ($1, $1, $2::text::jsonb, 1)")
        .execute(Tuple.of(id, limits)));
  }

  private static void key(String id, String tenant, String limits) {
    await(pool.preparedQuery("INSERT INTO api_keys (id, tenant_id, name, secret_hash, secret_hint, limits, version) "
            + "VALUES ($1, $2, $1, $1, 'tg-', $3::text::jsonb, 1)").execute(Tuple.of(id, tenant, limits)));
  }

  private static void webhook(String url, String secret, String... events) {
    await(pool.preparedQuery("INSERT INTO webhooks (id, url, secret, events) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of("wh-" + IDS.incrementAndGet(), url, secret, events)));
  }

  private static UsageEvent charge(String tenant, String key, Instant at, String cost) {
    return new UsageEvent("req-" + IDS.incrementAndGet(), at, at.plusMillis(100), tenant, key, "gpt", "primary",
        "openai", 1, null, new Usage(10, 10, 0, 0, false, 0), 100, 10, Outcome.Status.OK, null, null, null, null,
        new BigDecimal(cost));
  }

  /** Sends the events to a node's billing and waits until they are written and their alerts delivered. */
  private static void bill(Vertx node, BillingVerticle billing, UsageEvent... events) {
    await(node.eventBus().request(Addresses.BILLING_USAGE, new UsageBatch(List.of(events))));
    await(billing.alerts().idle());
  }

  private static double counted(SimpleMeterRegistry registry, String kind) {
    return registry.get("tollgate_budget_alerts").tag("kind", kind).counter().count();
  }

  private static double deliveries(String result) {
    return metricsA.get("tollgate_webhook_deliveries").tag("result", result).counter().count();
  }

  @Test
  @DisplayName("a key crossing 50, 80 and 100% of its daily budget is posted once per threshold, signed")
  void thresholds() {
    tenant("tn-a", "{}");
    key("key-a", "tn-a", "{\"budget_usd\":{\"daily\":10.00}}");
    Receiver hook = receiver(n -> 200);
    webhook(hook.url(), "s3cret");
    double before = counted(metricsA, "threshold");
    // An earlier day's 40% is that day's: today starts from zero (two days back, outside the spike window).
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW.minusSeconds(2 * 86_400), "4.00"));
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW, "3.00"));
    assertThat(hook.received).isEmpty();
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW, "3.00"));
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW, "1.00"));
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW, "1.50"));
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW, "2.00"));
    bill(nodeA, billingA, charge("tn-a", "key-a", NOW, "5.00"));
    assertThat(hook.bodies()).extracting(b -> b.getInteger("threshold_percent")).containsExactly(50, 80, 100);
    JsonObject first = hook.bodies().get(0);
    assertThat(first.getString("type")).isEqualTo("budget.threshold");
    assertThat(first.getString("scope")).isEqualTo("key");
    assertThat(first.getString("key_id")).isEqualTo("key-a");
    assertThat(first.getString("tenant_id")).isEqualTo("tn-a");
    assertThat(first.getString("period")).isEqualTo("daily");
    assertThat(first.getString("period_start")).isEqualTo("2026-11-27T00:00:00Z");
    assertThat(first.getString("spend_usd")).isEqualTo("6.00");
    assertThat(first.getString("budget_usd")).isEqualTo("10.00");
    assertThat(hook.bodies().get(2).getString("spend_usd")).isEqualTo("10.50");
    Receiver.Delivery d = hook.received.get(0);
    assertThat(d.headers().get("x-tollgate-event")).isEqualTo("budget.threshold");
    assertThat(d.headers().get("x-tollgate-delivery")).isEqualTo(first.getString("id"));
    assertThat(d.headers().get("x-tollgate-signature")).isEqualTo("sha256=" + WebhookDelivery.sign("s3cret",
        d.headers().get("x-tollgate-timestamp"), Buffer.buffer(d.body())));
    assertThat(counted(metricsA, "threshold") - before).isEqualTo(3);
  }

  @Test
  @DisplayName("a key that froze itself is posted once to the webhooks that want key.frozen, whichever billing "
      + "nodes hear of it; one that wants only budget events gets nothing")
  void keyFrozen() throws Exception {
    Receiver all = receiver(n -> 200);
    webhook(all.url(), "s3cret");
    Receiver budgetsOnly = receiver(n -> 200);
    webhook(budgetsOnly.url(), null, "budget.threshold", "budget.spike");
    io.tollgate.api.channel.KeyFrozen frozen = new io.tollgate.api.channel.KeyFrozen("key-f", "tn-f", 5,
        "203.0.113.9", Instant.parse("2026-11-27T10:00:00Z"), 42);
    double before = counted(metricsA, "key_frozen") + counted(metricsB, "key_frozen");

    // The admin node publishes the freeze to every billing node: both hear it, one posts it.
    await(billingA.alerts().keyFrozen(frozen));
    await(billingB.alerts().keyFrozen(frozen));

    assertThat(all.bodies()).hasSize(1);
    JsonObject body = all.bodies().get(0);
    assertThat(body.getString("type")).isEqualTo("key.frozen");
    assertThat(body.getString("key_id")).isEqualTo("key-f");
    assertThat(body.getString("tenant_id")).isEqualTo("tn-f");
    assertThat(body.getInteger("failures")).isEqualTo(5);
    assertThat(body.getString("frozen_at")).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(all.received.get(0).headers().get("x-tollgate-event")).isEqualTo("key.frozen");
    assertThat(budgetsOnly.received).isEmpty();
    assertThat(counted(metricsA, "key_frozen") + counted(metricsB, "key_frozen") - before).isEqualTo(1);

    // Through the bus, as the admin node sends it: a later freeze of the key (after an unfreeze) posts again.
    nodeA.eventBus().publish(io.tollgate.api.channel.ChannelAddresses.FROZEN,
        new io.tollgate.api.channel.KeyFrozen("key-f", "tn-f", 5, "203.0.113.9",
            Instant.parse("2026-11-27T11:00:00Z"), 43));
    Receiver.Delivery second = all.delivery(1).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(second.json().getString("frozen_at")).isEqualTo("2026-11-27T11:00:00Z");
    assertThat(all.bodies()).hasSize(2);
  }

  @Test
  @DisplayName("a tenant's monthly budget fires for the tenant, and a jump over several thresholds fires each")
  void tenantMonthly() {
    tenant("tn-m", "{\"budget_usd\":{\"monthly\":100}}");
    key("key-m1", "tn-m", "{}");
    key("key-m2", "tn-m", "{}");
    Receiver hook = receiver(n -> 204);
    webhook(hook.url(), null, "budget.threshold");
    bill(nodeA, billingA, charge("tn-m", "key-m1", NOW.minusSeconds(5 * 86_400), "45"));
    bill(nodeA, billingA, charge("tn-m", "key-m2", NOW, "40"));
    assertThat(hook.bodies()).extracting(b -> b.getInteger("threshold_percent")).containsExactlyInAnyOrder(50, 80);
    assertThat(hook.bodies()).allSatisfy(b -> {
      assertThat(b.getString("scope")).isEqualTo("tenant");
      assertThat(b.getString("tenant_id")).isEqualTo("tn-m");
      assertThat(b.getString("period")).isEqualTo("monthly");
      assertThat(b.getString("period_start")).isEqualTo("2026-11-01T00:00:00Z");
    });
    assertThat(hook.received.get(0).headers().get("x-tollgate-signature")).isNull();
  }

  @Test
  @DisplayName("a receiver that fails twice gets the same alert again with backoff until it answers 2xx")
  void retried() {
    tenant("tn-r", "{}");
    key("key-r", "tn-r", "{\"budget_usd\":{\"total\":1}}");
    Receiver flaky = receiver(n -> n < 2 ? 503 : 200);
    Receiver down = receiver(n -> 500);
    webhook(flaky.url(), null);
    webhook(down.url(), null);
    double delivered = deliveries("delivered");
    double failed = deliveries("failed");
    bill(nodeA, billingA, charge("tn-r", "key-r", NOW, "0.60"));
    assertThat(flaky.received).hasSize(3);
    assertThat(flaky.received).extracting(d -> d.headers().get("x-tollgate-delivery")).containsOnly(
        flaky.bodies().get(0).getString("id"));
    assertThat(down.received).hasSize(ALERTS.attempts());
    assertThat(deliveries("delivered") - delivered).isEqualTo(1);
    assertThat(deliveries("failed") - failed).isEqualTo(1);
  }

  @Test
  @DisplayName("an hour spending more than 3x the average hour of the day before fires one spike alert")
  void spike() {
    tenant("tn-s", "{}");
    key("key-s", "tn-s", "{}");
    Receiver hook = receiver(n -> 200);
    webhook(hook.url(), null, "budget.spike");
    double before = counted(metricsA, "spike");
    Instant hour = Instant.parse("2026-11-27T10:00:00Z");
    List<UsageEvent> history = new ArrayList<>();
    for (int h = 1; h <= 24; h++) {
      history.add(charge("tn-s", "key-s", hour.minusSeconds(3_600L * h), "0.50"));
    }
    bill(nodeA, billingA, history.toArray(UsageEvent[]::new));
    bill(nodeA, billingA, charge("tn-s", "key-s", NOW, "1.40"));
    assertThat(hook.received).as("1.40 is not above 3 x 0.50").isEmpty();
    bill(nodeA, billingA, charge("tn-s", "key-s", NOW, "0.20"));
    bill(nodeA, billingA, charge("tn-s", "key-s", NOW, "5.00"));
    assertThat(hook.bodies()).extracting(b -> b.getString("scope")).containsExactlyInAnyOrder("key", "tenant");
    JsonObject key = hook.bodies().stream().filter(b -> b.getString("scope").equals("key")).findFirst().orElseThrow();
    assertThat(key.getString("type")).isEqualTo("budget.spike");
    assertThat(key.getString("period")).isEqualTo("hour");
    assertThat(key.getString("period_start")).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(key.getString("spend_usd")).isEqualTo("1.60");
    assertThat(key.getString("average_usd")).isEqualTo("0.5");
    assertThat(counted(metricsA, "spike") - before).isEqualTo(2);
  }

  @Test
  @DisplayName("below the spend floor nothing spikes, however small the average")
  void spikeFloor() {
    tenant("tn-f", "{}");
    key("key-f", "tn-f", "{}");
    Receiver hook = receiver(n -> 200);
    webhook(hook.url(), null);
    bill(nodeA, billingA, charge("tn-f", "key-f", NOW.minusSeconds(7_200), "0.01"));
    bill(nodeA, billingA, charge("tn-f", "key-f", NOW, "0.90"));
    assertThat(hook.received).isEmpty();
  }

  @Test
  @DisplayName("two billing nodes charging the same key at once fire each threshold once between them")
  void twoNodes() {
    tenant("tn-2", "{}");
    key("key-2", "tn-2", "{\"budget_usd\":{\"daily\":10}}");
    Receiver hook = receiver(n -> 200);
    webhook(hook.url(), null);
    double before = counted(metricsA, "threshold") + counted(metricsB, "threshold");
    List<Future<?>> acks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Vertx node = i % 2 == 0 ? nodeA : nodeB;
      acks.add(node.eventBus().request(Addresses.BILLING_USAGE,
          UsageBatch.of(charge("tn-2", "key-2", NOW, "0.30"))));
    }
    await(Future.all(acks));
    await(billingA.alerts().idle());
    await(billingB.alerts().idle());
    assertThat(hook.bodies()).extracting(b -> b.getInteger("threshold_percent")).containsExactlyInAnyOrder(50, 80, 100);
    assertThat(TestDb.one(pool, "SELECT count(*) FROM budget_alerts").getLong(0)).isEqualTo(3);
    assertThat(counted(metricsA, "threshold") + counted(metricsB, "threshold") - before).isEqualTo(3);
  }
}
