package io.tollgate.billing;

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
 * The billing role: takes usage batches from {@link Addresses#BILLING_USAGE}, writes their events to the
 * ledger in write batches and acknowledges a message only after all its events committed, so a batch whose ack
 * is lost is sent again and skipped as a duplicate: at-least-once delivery, exactly-once effect.
 * Expects the schema to be migrated (the launcher runs the admin's migrations first).
 */
public final class BillingVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BillingVerticle.class);
  private static final long PARTITION_CHECK_MS = 60 * 60 * 1000L;

  private final BillingOptions options;
  private final LedgerWriter writer;

  /** @param pool the admin's PostgreSQL; shared by the node's billing instances, closed by whoever made it */
  public BillingVerticle(BillingOptions options, Pool pool) {
    this.options = options;
    this.writer = new LedgerWriter(pool);
  }

  @Override
  public Future<?> start() {
    Batcher<UsageEvent> batcher = new Batcher<>(vertx, options.maxBatch(), options.maxDelayMs(),
        options.maxBuffered(), batch -> writer.write(batch).onFailure(e ->
            LOG.warn("ledger batch of {} events not written (the producers resend): {}", batch.size(),
                e.getMessage())));
    MessageConsumer<UsageBatch> consumer = UsageConsumer.register(vertx, Addresses.BILLING_USAGE, batcher);
    vertx.setPeriodic(PARTITION_CHECK_MS, id -> createAhead());
    return createAhead().compose(v -> consumer.completion());
  }

  private Future<Void> createAhead() {
    LocalDate today = LocalDate.now(options.clock());
    return writer.createPartitions(today.minusDays(1), options.daysAhead() + 1)
        .onFailure(e -> LOG.warn("ledger partitions ahead not created (writes create theirs): {}", e.getMessage()))
        .otherwiseEmpty();
  }
}
