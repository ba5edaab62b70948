package io.tollgate.billing.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.api.usage.ReconcileReport;
import io.tollgate.api.usage.ReconcileReport.Difference;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reconciliation: on demand (the admin API, through the bus), and once a day for the UTC
 * day before, from {@link #DEFAULT_HOUR_UTC} on (after the reservations of the day's last requests
 * have been settled or given back), on one billing node of the cluster (a {@code reconcile_runs}
 * row per day says which). Each run logs its differences at WARN and sets
 * {@code tollgate_reconcile_differences}.
 */
public final class ReconcileJob {

  /** Hour (UTC) from which yesterday is reconciled: past the default 1 h reservation lifetime. */
  public static final int DEFAULT_HOUR_UTC = 2;
  /** Differences logged one by one per run; the rest are counted. */
  private static final int MAX_LOGGED = 50;
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileJob.class);

  private final Pool pool;
  private final Reconciler reconciler;
  private final Clock clock;
  private final int hourUtc;
  private final AtomicInteger lastDifferences = new AtomicInteger();
  private final Counter runs;

  public ReconcileJob(Pool pool, Reconciler reconciler, Clock clock, int hourUtc, MeterRegistry registry) {
    this.pool = pool;
    this.reconciler = reconciler;
    this.clock = clock;
    this.hourUtc = hourUtc;
    Gauge.builder("tollgate_reconcile_differences", lastDifferences, AtomicInteger::get)
        .description("Keys and tenants whose Redis daily counters disagreed with the ledger in this node's last "
            + "reconciliation").register(registry);
    this.runs = Counter.builder("tollgate_reconcile_runs").description("Reconciliations run by this node")
        .register(registry);
  }

  /** Reconciles a day now, whoever asks; logs and counts it. */
  public Future<ReconcileReport> run(LocalDate day) {
    return reconciler.run(day).onSuccess(this::report)
        .onFailure(e -> LOG.warn("reconciliation of {} failed: {}", day, e.toString()));
  }

  /** The daily run: yesterday, once its time has come, if no node has claimed it yet. */
  public Future<Void> tick() {
    ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
    if (now.getHour() < hourUtc) {
      return Future.succeededFuture();
    }
    LocalDate day = now.toLocalDate().minusDays(1);
    return pool.preparedQuery("INSERT INTO reconcile_runs (day) VALUES ($1) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(day))
        .compose(claimed -> claimed.rowCount() == 0 ? Future.succeededFuture()
            : run(day).compose(report -> pool.preparedQuery("UPDATE reconcile_runs SET finished_at = now(), "
                + "checked = $2, differences = $3 WHERE day = $1")
                .execute(Tuple.of(day, report.checked(), report.differences().size())))
                // Failed: give the day back, so that the next tick (of any node) tries again.
                .recover(e -> pool.preparedQuery("DELETE FROM reconcile_runs WHERE day = $1").execute(Tuple.of(day))
                    .transform(ignored -> Future.failedFuture(e)))
                .mapEmpty());
  }

  private void report(ReconcileReport report) {
    runs.increment();
    lastDifferences.set(report.differences().size());
    if (report.differences().isEmpty()) {
      LOG.info("reconciliation of {}: the Redis daily counters of {} keys and tenants agree with the ledger",
          report.day(), report.checked());
      return;
    }
    LOG.warn("reconciliation of {}: {} of {} keys and tenants differ between the ledger and the Redis daily "
        + "counters", report.day(), report.differences().size(), report.checked());
    int logged = 0;
    for (Difference d : report.differences()) {
      if (logged++ == MAX_LOGGED) {
        LOG.warn("... and {} more (the admin API's POST /admin/v1/reconcile?day={} answers them all)",
            report.differences().size() - MAX_LOGGED, report.day());
        break;
      }
      LOG.warn("reconciliation of {}: {} {}: ledger {} requests, ${}, {} tokens; Redis ${}, {} tokens", report.day(),
          d.scope(), d.id(), d.ledgerRequests(), d.ledgerUsd().toPlainString(),
          d.ledgerTokens(), d.redisUsd() == null ? "-" : d.redisUsd().toPlainString(),
          d.redisTokens() == null ? "-" : d.redisTokens());
    }
  }
}
