package io.tollgate.audit;

import static io.tollgate.audit.TestDb.await;
import static io.tollgate.audit.TestDb.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.usage.AuditText;
import io.tollgate.api.usage.CancelReason;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
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

@DisplayName("Audit: one record per request, idempotent, text only when a tenant opted in, with partition retention")
class AuditLogTest {

  private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
  private static final AuditOptions OPTIONS = new AuditOptions(50, 5, 1_000, 1, AuditOptions.DEFAULT_RETENTION_DAYS,
      3_600_000, Clock.fixed(NOW, ZoneOffset.UTC));

  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestDb db;
  static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
    db = TestDb.start(dir, vertx);
    pool = db.pool(vertx, 4);
    await(vertx.deployVerticle(new AuditVerticle(OPTIONS, pool)));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    db.close();
  }

  private static UsageEvent event(String id, Instant at) {
    return new UsageEvent(id, at, at.plusMillis(900), "tn-9", "key-9", "gpt", "backup", "mock", 1, null,
        new Usage(10, 5, 0, 0, true), 900, 300, Outcome.Status.CANCELLED, ErrorCode.CANCELLED, ErrorCode.Side.CLIENT,
        CancelReason.CLIENT_DISCONNECT, List.of(new Attempt("primary", "openai", ErrorCode.UPSTREAM_TIMEOUT, "slow",
            3_000), new Attempt("backup", "mock", null, null, 4)), new BigDecimal("0.001"));
  }

  @Test
  @DisplayName("an event delivered twice is one record with who, what, how it ended and the failover trace")
  void oneRecord() {
    UsageEvent e = event("req-a1", NOW);
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, UsageBatch.of(e)));
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, UsageBatch.of(e)));
    Row r = one(pool, "SELECT count(*), min(key_id), min(tenant_id), min(model), min(deployment_id), min(status), "
        + "min(error), min(error_side), min(cancel_reason), min(latency_ms), "
        + "min(trace -> 0 ->> 'deploymentId'), min(trace -> 0 ->> 'error'), min(jsonb_array_length(trace)) "
        + "FROM audit_requests WHERE request_id = 'req-a1'");
    assertThat(r.getLong(0)).isEqualTo(1);
    assertThat(List.of(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
        r.getString(6), r.getString(7), r.getString(8)))
        .containsExactly("key-9", "tn-9", "gpt", "backup", "cancelled", "cancelled", "client", "client_disconnect");
    assertThat(r.getLong(9)).isEqualTo(900);
    assertThat(r.getString(10)).isEqualTo("primary");
    assertThat(r.getString(11)).isEqualTo("UPSTREAM_TIMEOUT");
    assertThat(r.getInteger(12)).isEqualTo(2);
  }

  @Test
  @DisplayName("a batch spanning several write batches, with a repeated event, is acked after all of it is written, once each")
  void bigBatch() {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 3 * OPTIONS.maxBatch() + 7; i++) {
      events.add(event("req-big-" + i, NOW));
    }
    events.add(events.get(0));
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, new UsageBatch(events)));
    // No wait after the ack: it means every event of the batch is already committed.
    assertThat(one(pool, "SELECT count(*) FROM audit_requests WHERE request_id LIKE 'req-big-%'").getLong(0)).isEqualTo(3L * OPTIONS.maxBatch() + 7);
  }

  @Test
  @DisplayName("a request refused before any upstream ran is audited with who asked and why")
  void refused() {
    UsageEvent refused = new UsageEvent("req-refused", NOW, NOW, "tn-9", "key-9", "gpt", null, null, -1, null, null,
        2, -1, Outcome.Status.ERROR, ErrorCode.RATE_LIMITED, ErrorCode.Side.CLIENT, null, null, null);
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, UsageBatch.of(refused)));
    Row r = one(pool, "SELECT error, error_side FROM audit_requests WHERE request_id = 'req-refused'");
    assertThat(r.getString(0)).isEqualTo("rate_limit_exceeded");
    assertThat(r.getString(1)).isEqualTo("client");
  }

  @Test
  @DisplayName("an event without text (a tenant that did not opt in) stores no text; one with redacted text stores it as sent")
  void textOnlyWhenCarried() {
    UsageEvent plain = event("req-no-text", NOW);
    UsageEvent withText = event("req-text", NOW).withText(new AuditText("user: mail [email]", "sure [card]"));
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, UsageBatch.of(plain, withText)));
    Row none = one(pool, "SELECT prompt, completion FROM audit_requests WHERE request_id = 'req-no-text'");
    assertThat(none.getString(0)).isNull();
    assertThat(none.getString(1)).isNull();
    Row some = one(pool, "SELECT prompt, completion FROM audit_requests WHERE request_id = 'req-text'");
    assertThat(some.getString(0)).isEqualTo("user: mail [email]");
    assertThat(some.getString(1)).isEqualTo("sure [card]");
  }

  @Test
  @DisplayName("retention drops only the expired day partitions of the admin-action records too")
  void adminRetention() {
    AuditWriter writer = new AuditWriter(pool);
    LocalDate today = LocalDate.parse("2028-06-10");
    List<String> ids = new ArrayList<>();
    for (int age : new int[] {40, 31, 30, 1, 0}) {
      LocalDate day = today.minusDays(age);
      await(pool.preparedQuery("SELECT tollgate_day_partition('audit_admin', $1)").execute(Tuple.of(day)));
      await(pool.preparedQuery("INSERT INTO audit_admin (id, at, actor, action, target_kind) "
          + "VALUES ($1, $2, 'admin', 'tenant.update', 'tenant')")
          .execute(Tuple.of("adm-age-" + age, day.atTime(23, 59).atOffset(ZoneOffset.UTC))));
      ids.add("adm-age-" + age);
    }
    await(writer.dropOlderThan(today, 30));
    List<String> left = new ArrayList<>();
    await(pool.query("SELECT id FROM audit_admin WHERE id LIKE 'adm-age-%' ORDER BY at").execute())
        .forEach(r -> left.add(r.getString(0)));
    assertThat(left).containsExactly("adm-age-30", "adm-age-1", "adm-age-0");
    assertThat(one(pool, "SELECT count(*) FROM pg_class WHERE relname IN ('audit_admin_p20280501', "
        + "'audit_admin_p20280510')").getLong(0)).isZero();
    assertThat(one(pool, "SELECT to_regclass('audit_admin_p20280511') IS NOT NULL").getBoolean(0)).isTrue();
  }

  @Test
  @DisplayName("retention drops the day partitions wholly older than 30 days and keeps the rest with their records")
  void retention() {
    AuditWriter writer = new AuditWriter(pool);
    LocalDate today = LocalDate.parse("2027-03-10");
    List<UsageEvent> events = new ArrayList<>();
    for (int age : new int[] {45, 31, 30, 29, 0}) {
      events.add(event("req-age-" + age, today.minusDays(age).atTime(12, 0).toInstant(ZoneOffset.UTC)));
    }
    assertThat(await(writer.write(events))).isEqualTo(5);
    int dropped = await(writer.dropOlderThan(today, 30));
    assertThat(dropped).isGreaterThanOrEqualTo(2);
    List<String> left = new ArrayList<>();
    await(pool.query("SELECT request_id FROM audit_requests WHERE request_id LIKE 'req-age-%' ORDER BY request_id")
        .execute()).forEach(r -> left.add(r.getString(0)));
    assertThat(left).containsExactly("req-age-0", "req-age-29", "req-age-30");
    assertThat(one(pool, "SELECT count(*) FROM pg_class WHERE relname IN ('audit_requests_p20270123', "
        + "'audit_requests_p20270207')").getLong(0)).isZero();
    assertThat(one(pool, "SELECT to_regclass('audit_requests_p20270208') IS NOT NULL").getBoolean(0)).isTrue();
    // Partitions dropped by the retention come back on demand for a late event of that day.
    assertThat(await(writer.write(List.of(event("req-late", today.minusDays(31).atStartOfDay()
        .toInstant(ZoneOffset.UTC)))))).isEqualTo(1);
  }

  @Test
  @DisplayName("a node whose partition was dropped by another node's retention recreates it instead of failing forever")
  void partitionDroppedElsewhere() {
    Instant longAgo = Instant.parse("2025-01-15T10:00:00Z");
    // The verticle's writer now remembers that day's partition.
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, UsageBatch.of(event("req-before-drop", longAgo))));
    await(new AuditWriter(pool).dropOlderThan(LocalDate.parse("2025-03-01"), 30));
    await(vertx.eventBus().request(Addresses.AUDIT_USAGE, UsageBatch.of(event("req-after-drop", longAgo))));
    assertThat(one(pool, "SELECT count(*) FROM audit_requests WHERE request_id = 'req-after-drop'").getLong(0))
        .isEqualTo(1);
  }
}
