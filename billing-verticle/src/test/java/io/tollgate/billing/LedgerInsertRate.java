package io.tollgate.billing;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the ledger's batched insert rate on the embedded PostgreSQL (not a test: run it by
 * hand, see the README). Writes {@code events} fresh usage events in batches of {@code batch},
 * one batch in flight per writer as the billing verticle does, with {@code writers} writers.
 * Arguments: events batch writers (defaults 100000 1000 1).
 */
public final class LedgerInsertRate {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerInsertRate.class);

  private LedgerInsertRate() {
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int writers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("ledger-bench");
    try (TestDb db = TestDb.start(dir, vertx)) {
      Pool pool = db.pool(vertx, writers);
      LedgerWriter writer = new LedgerWriter(pool);
      Instant base = Instant.now();
      TestDb.await(writer.createPartitions(base.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1), 2));
      // Warm-up: prepared statement, JIT.
      TestDb.await(writer.write(events("warm", 0, batch, base)));
      long start = System.nanoTime();
      List<Future<?>> chains = new ArrayList<>();
      int perWriter = events / writers;
      for (int w = 0; w < writers; w++) {
        String prefix = "w" + w;
        Future<Integer> chain = Future.succeededFuture(0);
        for (int from = 0; from < perWriter; from += batch) {
          int f = from;
          chain = chain.compose(n -> writer.write(events(prefix, f, Math.min(batch, perWriter - f), base)));
        }
        chains.add(chain);
      }
      TestDb.await(Future.all(chains));
      double seconds = (System.nanoTime() - start) / 1e9;
      long rows = TestDb.one(pool, "SELECT count(*) FROM usage_ledger").getLong(0);
      LOG.info("ledger insert rate: {} events in {} s = {} events/s (batch {}, writers {}, rows {})",
          perWriter * writers, String.format("%.2f", seconds), Math.round(perWriter * writers / seconds), batch,
          writers, rows);
      TestDb.await(pool.close());
    } finally {
      TestDb.await(vertx.close());
    }
  }

  private static List<UsageEvent> events(String prefix, int from, int n, Instant base) {
    List<UsageEvent> out = new ArrayList<>(n);
    for (int i = from; i < from + n; i++) {
      Instant at = base.minusMillis(i);
      out.add(new UsageEvent(prefix + "-" + i, at, at.plusMillis(250), "tn-" + (i % 7), "key-" + (i % 50),
          i % 2 == 0 ? "gpt" : "claude", i % 2 == 0 ? "gpt-1" : "claude-1", i % 2 == 0 ? "openai" : "anthropic", 0,
          new RouteDecision("thompson", "v4", 0.8, "exploit"), new Usage(500 + i % 300, 120, 64, 0, false, 0), 250,
          80, Outcome.Status.OK, null, null, null,
          List.of(new Attempt(i % 2 == 0 ? "gpt-1" : "claude-1", "openai", null, null, 3)),
          new BigDecimal("0.0012345")));
    }
    return out;
  }
}
