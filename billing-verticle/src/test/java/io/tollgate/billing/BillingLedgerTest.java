package io.tollgate.billing;

import static io.tollgate.billing.TestDb.await;
import static io.tollgate.billing.TestDb.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.codec.Wire;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Billing: batched, idempotent ledger with hourly rollups on a real PostgreSQL")
class BillingLedgerTest {

  private static final Instant TODAY = Instant.parse("2026-11-27T10:20:00Z");
  private static final Clock CLOCK = Clock.fixed(TODAY, ZoneOffset.UTC);
  private static final BillingOptions OPTIONS = new BillingOptions(100, 5, 1_000, 2, CLOCK);

  @TempDir
  static Path dir;
  static Vertx nodeA;
  static Vertx nodeB;
  static TestDb db;
  static Pool poolA;
  static Pool poolB;

  @BeforeAll
  static void start() {
    nodeA = Vertx.vertx();
    nodeB = Vertx.vertx();
    Codecs.registerAll(nodeA);
    Codecs.registerAll(nodeB);
    db = TestDb.start(dir, nodeA);
    poolA = db.pool(nodeA, 4);
    poolB = db.pool(nodeB, 4);
    await(nodeA.deployVerticle(new BillingVerticle(OPTIONS, poolA)));
    await(nodeB.deployVerticle(new BillingVerticle(OPTIONS, poolB)));
  }

  @AfterAll
  static void stop() {
    await(nodeA.close());
    await(nodeB.close());
    db.close();
  }

  @BeforeEach
  void empty() {
    // TRUNCATE is DDL-like and not caught by the append-only trigger, which guards rows only.
    await(poolA.query("TRUNCATE usage_ledger, usage_hourly").execute());
  }

  static UsageEvent event(String id, Instant at, String key, long prompt, long completion, String cost) {
    return new UsageEvent(id, at, at.plusMillis(120), "tn-1", key, "gpt", "primary", "openai", 1,
        new RouteDecision("priority", "v3", 1.0, "first"), new Usage(prompt, completion, 2, 1, false, 0), 120, 40,
        Outcome.Status.OK, null, null, null,
        List.of(new Attempt("backup", "mock", ErrorCode.UPSTREAM_ERROR, "502", 7), new Attempt("primary", "openai",
            null, null, 3)), new BigDecimal(cost));
  }

  private static Future<Object> send(Vertx node, UsageEvent... events) {
    return send(node, List.of(events));
  }

  private static Future<Object> send(Vertx node, List<UsageEvent> events) {
    return node.eventBus().request(Addresses.BILLING_USAGE, new UsageBatch(events)).map(m -> m.body());
  }

  private static long count(String sql) {
    return one(poolA, sql).getLong(0);
  }

  @Test
  @DisplayName("the same event sent twice is one ledger row and counts once in the rollup")
  void twice() {
    UsageEvent e = event("req-twice", TODAY, "key-1", 100, 20, "0.000123456789");
    await(send(nodeA, e));
    await(send(nodeA, e));
    assertThat(count("SELECT count(*) FROM usage_ledger WHERE request_id = 'req-twice'")).isEqualTo(1);
    Row hour = one(poolA, "SELECT requests, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, "
        + "cost_usd::text, hour = '2026-11-27T10:00:00Z' FROM usage_hourly");
    assertThat(hour.getLong(0)).isEqualTo(1);
    assertThat(hour.getLong(1)).isEqualTo(100);
    assertThat(hour.getLong(2)).isEqualTo(20);
    assertThat(hour.getLong(3)).isEqualTo(2);
    assertThat(hour.getLong(4)).isEqualTo(1);
    assertThat(new BigDecimal(hour.getString(5))).isEqualByComparingTo("0.000123456789");
    assertThat(hour.getBoolean(6)).isTrue();
  }

  @Test
  @DisplayName("start and end are stored to the microsecond, the failover trace and the cost exactly as sent")
  void exactValues() throws Exception {
    Instant start = Instant.parse("2026-11-27T10:20:00.123456789Z");
    UsageEvent e = event("req-exact", start, "key-1", 100, 20, "0.000123456789");
    await(send(nodeA, e));
    Row row = one(poolA, "SELECT started_at = '2026-11-27T10:20:00.123456Z', ended_at = '2026-11-27T10:20:00.243456Z',"
        + " trace::text, cost_usd::text FROM usage_ledger WHERE request_id = 'req-exact'");
    assertThat(row.getBoolean(0)).isTrue();
    assertThat(row.getBoolean(1)).isTrue();
    assertThat(Wire.MAPPER.readTree(row.getString(2)))
        .isEqualTo(Wire.MAPPER.readTree(Wire.MAPPER.writeValueAsString(e.trace())));
    assertThat(row.getString(3)).isEqualTo("0.000123456789");
    // Sent again: still one row (the key is the same microsecond).
    await(send(nodeA, e));
    assertThat(count("SELECT count(*) FROM usage_ledger WHERE request_id = 'req-exact'")).isEqualTo(1);
  }

  @Test
  @DisplayName("the same events sent concurrently through two billing nodes are written once each, rollups exact")
  void twoNodes() {
    List<UsageEvent> events = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < 400; i++) {
      UsageEvent e = event("req-" + i, TODAY.minusSeconds(i * 30L), "key-" + (i % 3), i, 2L * i, "0.00000" + (i + 1));
      events.add(e);
      total = total.add(e.costUsd());
    }
    // Batches of different sizes on each node, so the same event meets itself in overlapping batches
    // (and some batches span several write batches of OPTIONS.maxBatch).
    List<Future<?>> acks = new ArrayList<>();
    for (int from = 0; from < events.size(); from += 7) {
      acks.add(send(nodeA, events.subList(from, Math.min(events.size(), from + 7))));
    }
    for (int from = 0; from < events.size(); from += 150) {
      acks.add(send(nodeB, events.subList(from, Math.min(events.size(), from + 150))));
    }
    await(Future.all(acks));
    assertThat(count("SELECT count(*) FROM usage_ledger")).isEqualTo(400);
    Row sums = one(poolA, "SELECT sum(requests), sum(prompt_tokens), sum(cost_usd)::text FROM usage_hourly");
    assertThat(sums.getLong(0)).isEqualTo(400);
    assertThat(sums.getLong(1)).isEqualTo(399L * 400 / 2);
    assertThat(new BigDecimal(sums.getString(2))).isEqualByComparingTo(total);
    assertThat(count("SELECT count(*) FROM usage_hourly")).isGreaterThan(3);
  }

  @Test
  @DisplayName("one bus batch larger than a write batch, repeating an event, is acked only once all of it is written")
  void bigBatch() {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 2 * OPTIONS.maxBatch() + 3; i++) {
      events.add(event("req-big-" + i, TODAY, "key-1", 1, 1, "0.001"));
    }
    events.add(events.get(1));
    await(send(nodeA, events));
    // Checked right after the ack, without waiting: the ack means every event of it is committed.
    assertThat(count("SELECT count(*) FROM usage_ledger")).isEqualTo(2L * OPTIONS.maxBatch() + 3);
    assertThat(count("SELECT sum(requests) FROM usage_hourly")).isEqualTo(2L * OPTIONS.maxBatch() + 3);
  }

  @Test
  @DisplayName("an event whose batch cannot be written is refused, not acknowledged, and lands once when resent")
  void ackOnlyAfterCommit() {
    UsageEvent e = event("req-retry", TODAY, "key-1", 5, 5, "0.01");
    await(poolA.query("ALTER TABLE usage_hourly RENAME TO usage_hourly_away").execute());
    Throwable refused;
    try {
      refused = send(nodeA, e).map(x -> (Throwable) null).otherwise(t -> t)
          .toCompletionStage().toCompletableFuture().join();
    } finally {
      await(poolA.query("ALTER TABLE usage_hourly_away RENAME TO usage_hourly").execute());
    }
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE.wire());
    // The statement failed as a whole: no ledger row without its rollup.
    assertThat(count("SELECT count(*) FROM usage_ledger")).isZero();
    await(send(nodeA, e));
    assertThat(count("SELECT count(*) FROM usage_ledger")).isEqualTo(1);
    assertThat(count("SELECT sum(requests) FROM usage_hourly")).isEqualTo(1);
  }

  @Test
  @DisplayName("ledger rows cannot be updated or deleted")
  void appendOnly() {
    await(send(nodeA, event("req-fixed", TODAY, "key-1", 1, 1, "0.5")));
    Throwable update = poolA.query("UPDATE usage_ledger SET cost_usd = 0").execute().map(x -> (Throwable) null)
        .otherwise(t -> t).toCompletionStage().toCompletableFuture().join();
    Throwable delete = poolA.query("DELETE FROM usage_ledger").execute().map(x -> (Throwable) null)
        .otherwise(t -> t).toCompletionStage().toCompletableFuture().join();
    assertThat(update).hasMessageContaining("append-only");
    assertThat(delete).hasMessageContaining("append-only");
  }

  @Test
  @DisplayName("day partitions exist ahead of today, and an event from an older day gets its own on demand")
  void partitions() {
    assertThat(count("SELECT count(*) FROM pg_class WHERE relname IN ('usage_ledger_p20261126', "
        + "'usage_ledger_p20261127', 'usage_ledger_p20261128', 'usage_ledger_p20261129')")).isEqualTo(4);
    await(send(nodeA, event("req-old", Instant.parse("2026-10-02T23:59:59Z"), "key-1", 1, 1, "0.5")));
    assertThat(count("SELECT count(*) FROM usage_ledger_p20261002")).isEqualTo(1);
  }

  @Test
  @DisplayName("a request refused before any upstream ran is acknowledged but not in the ledger")
  void refusedIsNotBilled() {
    UsageEvent refused = new UsageEvent("req-refused", TODAY, TODAY, "tn-1", "key-1", "gpt", null, null, -1, null,
        null, 1, -1, Outcome.Status.ERROR, ErrorCode.RATE_LIMITED, ErrorCode.Side.CLIENT, null, null, null);
    await(send(nodeA, refused));
    assertThat(count("SELECT count(*) FROM usage_ledger")).isZero();
  }
}
