package io.tollgate.audit;

import io.tollgate.api.Addresses;
import io.tollgate.api.usage.Batcher;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageConsumer;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit role: one audit record per request from {@link Addresses#AUDIT_USAGE}, written in
 * batches and acknowledged after commit (a resend is skipped), and a retention job that drops day
 * partitions older than {@link AuditOptions#retentionDays()}, of the request records and of the
 * admin-action records the admin role writes. Expects the schema to be migrated.
 */
public final class AuditVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);

  private final AuditOptions options;
  private final AuditWriter writer;

  public AuditVerticle(AuditOptions options, Pool pool) {
    this.options = options;
    this.writer = new AuditWriter(pool);
  }

  @Override
  public Future<?> start() {
    Batcher<UsageEvent> batcher = new Batcher<>(vertx, options.maxBatch(), options.maxDelayMs(),
        options.maxBuffered(), batch -> writer.write(batch).onFailure(e ->
            LOG.warn("audit batch of {} records not written (the producers resend): {}", batch.size(),
                e.getMessage())));
    MessageConsumer<UsageBatch> consumer = UsageConsumer.register(vertx, Addresses.AUDIT_USAGE, batcher);
    vertx.setPeriodic(options.retentionEveryMs(), id -> housekeeping());
    return housekeeping().compose(v -> consumer.completion());
  }

  /** Partitions ahead, then retention; each node's run is idempotent, so several audit nodes may run it. */
  private Future<Void> housekeeping() {
    LocalDate today = LocalDate.now(options.clock());
    return writer.createPartitions(today.minusDays(1), options.daysAhead() + 1)
        .compose(v -> writer.dropOlderThan(today, options.retentionDays()))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("audit retention: dropped {} day partitions older than {} days", n, options.retentionDays());
          }
        })
        .onFailure(e -> LOG.warn("audit housekeeping failed (retried on the next run): {}", e.getMessage()))
        .<Void>mapEmpty().otherwiseEmpty();
  }
}
