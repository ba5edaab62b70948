package io.tollgate.launcher;

import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.admin.store.Migrations;
import io.tollgate.api.Addresses;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.audit.AuditOptions;
import io.tollgate.audit.AuditVerticle;
import io.tollgate.billing.BillingOptions;
import io.tollgate.billing.BillingVerticle;
import io.tollgate.edge.usage.OutboxOptions;
import io.tollgate.edge.usage.UsageOutbox;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one usage event costs, end to end inside one node: edge-like producers (one per core, each
 * event offered in its own event-loop turn as the edge does, at a fixed rate) feed their
 * {@link UsageOutbox}es, and the billing and audit verticles write to an embedded PostgreSQL, as in
 * a single JVM with every role. Reports the CPU time of this JVM and of PostgreSQL (every process
 * below its postmaster) per 1,000 events in the measured window. Not a test: run it by hand (see
 * the README's benchmark section). Arguments: rate seconds warmup-seconds [idle] (defaults 2000 20 10; idle
 * measures the producers alone).
 */
public final class LedgerCost {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerCost.class);

  private LedgerCost() {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    // "idle": the producers alone (what the harness itself costs), no outbox, no billing or audit.
    boolean idle = args.length > 3 && args[3].equals("idle");
    int producers = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
    Path dir = Files.createTempDirectory("ledger-cost");
    EmbeddedPg pg = EmbeddedPg.start(dir, 0);
    try {
      Pool pool = Tollgate.ledgerPool(vertx, pg.uri());
      await(Migrations.migrate(vertx, pool));
      if (!idle) {
        // -Dledger.delayMs tries another write-batch deadline than the default.
        long delay = Long.getLong("ledger.delayMs", BillingOptions.DEFAULT_MAX_DELAY_MS);
        BillingOptions b = BillingOptions.DEFAULTS;
        AuditOptions a = AuditOptions.DEFAULTS;
        await(vertx.deployVerticle(new BillingVerticle(new BillingOptions(b.maxBatch(), delay, b.maxBuffered(),
            b.daysAhead(), b.clock()), pool)));
        await(vertx.deployVerticle(new AuditVerticle(new AuditOptions(a.maxBatch(), delay, a.maxBuffered(),
            a.daysAhead(), a.retentionDays(), a.retentionEveryMs(), a.clock()), pool)));
      }
      List<Producer> started = new CopyOnWriteArrayList<>();
      await(vertx.deployVerticle(() -> {
        Producer p = new Producer((double) rate / producers, idle);
        started.add(p);
        return p;
      }, new DeploymentOptions().setInstances(producers)));

      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      long offered0 = offered(started);
      long jvm0 = jvmCpuNanos();
      long pg0 = postgresCpuNanos(pg.directory());
      long tx0 = commits(pool);
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long jvm = jvmCpuNanos() - jvm0;
      long db = postgresCpuNanos(pg.directory()) - pg0;
      long events = offered(started) - offered0;
      long tx = commits(pool) - tx0;
      started.forEach(p -> p.stop = true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (pending(started) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      long ledger = await(pool.query("SELECT count(*) FROM usage_ledger").execute()).iterator().next().getLong(0);
      long audit = await(pool.query("SELECT count(*) FROM audit_requests").execute()).iterator().next().getLong(0);
      LOG.info(String.format("ledger cost at %d events/s: %d events measured; CPU per 1000 events: JVM %.1f ms, "
              + "PostgreSQL %.1f ms, total %.1f ms; %.1f transactions; after the run: %d still pending, %d dropped, ledger rows %d, "
              + "audit rows %d, offered %d", rate, events, jvm / 1e3 / events, db / 1e3 / events,
          (jvm + db) / 1e3 / events, tx * 1000.0 / events, pending(started), dropped(started), ledger, audit,
          offered(started)));
      await(pool.close());
    } finally {
      await(vertx.close());
      pg.close();
    }
  }

  /** An edge stand-in: one outbox, events offered one per event-loop turn at a fixed rate. */
  private static final class Producer extends VerticleBase {

    private final double perSecond;
    private final boolean idle;
    private final AtomicLong offered = new AtomicLong();
    private UsageOutbox outbox;
    private volatile boolean stop;
    private long due;
    private long startNanos;

    Producer(double perSecond, boolean idle) {
      this.perSecond = perSecond;
      this.idle = idle;
    }

    io.vertx.core.Context loop() {
      return context;
    }

    @Override
    public Future<?> start() {
      outbox = new UsageOutbox(vertx, OutboxOptions.DEFAULTS);
      startNanos = System.nanoTime();
      vertx.setPeriodic(1, id -> {
        long shouldHave = (long) ((System.nanoTime() - startNanos) / 1e9 * perSecond);
        if (!stop && due < shouldHave) {
          offerOne(shouldHave);
        }
      });
      return Future.succeededFuture();
    }

    // One event per turn, like requests finishing on an edge loop: the next is offered in a later task.
    private void offerOne(long until) {
      UsageEvent event = event(Thread.currentThread().getName() + "-" + due);
      if (!idle) {
        outbox.offer(event);
      }
      due++;
      offered.incrementAndGet();
      if (due < until) {
        context.runOnContext(v -> offerOne(until));
      }
    }

    private static UsageEvent event(String id) {
      Instant now = Instant.now();
      return new UsageEvent(id, now.minusMillis(3), now, "tn_bench", "key_bench", "bench", "bench-mock", "mock", 0,
          new RouteDecision("weighted", "v1", 1.0, "only"), new Usage(14, 16, 0, 0, false, 0), 3, 1,
          Outcome.Status.OK, null, null, null, List.of(new Attempt("bench-mock", "mock", null, null, 1)),
          new BigDecimal("0.00001170"));
    }
  }

  private static long offered(List<Producer> producers) {
    return producers.stream().mapToLong(p -> p.offered.get()).sum();
  }

  private static long pending(List<Producer> producers) throws Exception {
    return onLoops(producers, p -> p.outbox.pending(Addresses.BILLING_USAGE) + p.outbox.pending(Addresses.AUDIT_USAGE));
  }

  private static long dropped(List<Producer> producers) throws Exception {
    return onLoops(producers, p -> p.outbox.dropped(Addresses.BILLING_USAGE) + p.outbox.dropped(Addresses.AUDIT_USAGE));
  }

  private static long onLoops(List<Producer> producers, java.util.function.ToLongFunction<Producer> read)
      throws Exception {
    long sum = 0;
    for (Producer p : producers) {
      Promise<Long> value = Promise.promise();
      p.loop().runOnContext(v -> value.complete(read.applyAsLong(p)));
      sum += await(value.future());
    }
    return sum;
  }

  private static long commits(Pool pool) throws Exception {
    return await(pool.query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        .execute()).iterator().next().getLong(0);
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The postmaster runs detached from this JVM: found by its data directory, then everything below it. */
  private static long postgresCpuNanos(Path dataDir) {
    String marker = "-D " + dataDir;
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
        .map(p -> p.info().totalCpuDuration())
        .flatMap(Optional::stream)
        .mapToLong(Duration::toNanos)
        .sum();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
