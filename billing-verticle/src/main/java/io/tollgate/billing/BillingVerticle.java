package io.tollgate.billing;

import io.tollgate.api.Addresses;
import io.tollgate.api.usage.Batcher;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageConsumer;
import io.tollgate.api.usage.UsageEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tollgate.billing.alerts.AlertOptions;
import io.tollgate.billing.alerts.BudgetAlerts;
import io.tollgate.billing.reconcile.ReconcileJob;
import io.tollgate.api.usage.ReconcileRequest;
import io.tollgate.api.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing role: takes usage batches from {@link Addresses#BILLING_USAGE}, writes their events to the
 * ledger in write batches and acknowledges a message only after all its events committed, so a batch whose ack
 * is lost is sent again and skipped as a duplicate: at-least-once delivery, exactly-once effect.
 * Expects the schema to be migrated (the launcher runs the admin's migrations first).
 */
public final class BillingVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BillingVerticle.class);
  private static final long PARTITION_CHECK_MS = 60 * 60 * 1000L;
  /** How often the daily reconciliation looks whether yesterday is due. */
  private static final long RECONCILE_CHECK_MS = 10 * 60 * 1000L;

  private final BillingOptions options;
  private final LedgerWriter writer;
  private final Pool pool;
  private final AlertOptions alertOptions;
  private final MeterRegistry registry;
  private final ReconcileJob reconcile;
  private BudgetAlerts alerts;

  /** @param pool the admin's PostgreSQL; shared by the node's billing instances, closed by whoever made it */
  public BillingVerticle(BillingOptions options, Pool pool) {
    this(options, pool, AlertOptions.DEFAULTS, null);
  }

  /** @param registry where the alert metrics go; null: nowhere */
  public BillingVerticle(BillingOptions options, Pool pool, AlertOptions alertOptions, MeterRegistry registry) {
    this(options, pool, alertOptions, registry, null);
  }

  /**
   * @param reconcile the reconciliation against the limits' Redis; null on a node that cannot reach
   *                  it (it then neither runs the daily job nor answers on-demand requests)
   */
  public BillingVerticle(BillingOptions options, Pool pool, AlertOptions alertOptions, MeterRegistry registry,
                         ReconcileJob reconcile) {
    this.reconcile = reconcile;
    this.options = options;
    this.writer = new LedgerWriter(pool);
    this.pool = pool;
    this.alertOptions = alertOptions;
    this.registry = registry == null ? new CompositeMeterRegistry() : registry;
  }

  /** This verticle's budget alerts (null before start). */
  public BudgetAlerts alerts() {
    return alerts;
  }

  @Override
  public Future<?> start() {
    alerts = new BudgetAlerts(vertx, pool, alertOptions, registry);
    // Alerts look at the batch once it committed; the acknowledgement does not wait for them.
    Batcher<UsageEvent> batcher = new Batcher<>(vertx, options.maxBatch(), options.maxDelayMs(),
        options.maxBuffered(), batch -> writer.write(batch).onSuccess(n -> alerts.committed(batch)).onFailure(e ->
            LOG.warn("ledger batch of {} events not written (the producers resend): {}", batch.size(),
                e.getMessage())));
    MessageConsumer<UsageBatch> consumer = UsageConsumer.register(vertx, Addresses.BILLING_USAGE, batcher);
    vertx.setPeriodic(PARTITION_CHECK_MS, id -> createAhead());
    Future<Void> reconciling = Future.succeededFuture();
    if (reconcile != null) {
      reconciling = vertx.eventBus().<ReconcileRequest>consumer(Addresses.BILLING_RECONCILE, msg ->
          reconcile.run(msg.body().day()).onComplete(ar -> {
            if (ar.succeeded()) {
              msg.reply(ar.result());
            } else {
              msg.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), "reconciliation failed: " + ar.cause().getMessage());
            }
          })).completion();
      vertx.setPeriodic(RECONCILE_CHECK_MS, id -> dailyReconcile());
    }
    // A key that froze itself is announced to every billing node; the first to record it posts the webhook.
    Future<Void> frozen = vertx.eventBus().<io.tollgate.api.channel.KeyFrozen>consumer(
        io.tollgate.api.channel.ChannelAddresses.FROZEN, msg -> alerts.keyFrozen(msg.body())
            .onFailure(e -> LOG.warn("key.frozen of {} not recorded: {}", msg.body().keyId(), e.toString())))
        .completion();
    Future<Void> both = reconciling;
    return createAhead().compose(v -> consumer.completion()).compose(v -> both).compose(v -> frozen);
  }

  @Override
  public Future<?> stop() {
    if (alerts != null) {
      alerts.close();
    }
    return Future.succeededFuture();
  }

  private void dailyReconcile() {
    reconcile.tick().onFailure(e -> LOG.warn("daily reconciliation not run: {}", e.toString()));
  }

  private Future<Void> createAhead() {
    LocalDate today = LocalDate.now(options.clock());
    return writer.createPartitions(today.minusDays(1), options.daysAhead() + 1)
        .onFailure(e -> LOG.warn("ledger partitions ahead not created (writes create theirs): {}", e.getMessage()))
        .otherwiseEmpty();
  }
}
