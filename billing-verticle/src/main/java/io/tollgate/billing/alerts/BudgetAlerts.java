package io.tollgate.billing.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget alerts of one billing verticle. After each ledger batch committed, the keys and tenants it
 * charged are looked at again (from the rollups); what crossed a threshold or spiked is fired once
 * cluster-wide, logged at WARN, counted in {@code tollgate_budget_alerts_total{kind}} and posted to
 * the webhooks. None of it holds up the ledger: the batch is acknowledged when it committed, and at
 * most one evaluation runs at a time (what arrives meanwhile is looked at together next).
 * Confined to the verticle's context.
 */
public final class BudgetAlerts {

  private static final Logger LOG = LoggerFactory.getLogger(BudgetAlerts.class);
  /** Subjects kept for another look while the database fails; beyond it, their next batch brings them back. */
  private static final int MAX_RETRY = 10_000;

  private final Vertx vertx;
  private final AlertOptions options;
  private final AlertEvaluator evaluator;
  private final WebhookDelivery delivery;
  private final Map<Alert.Kind, Counter> fired = new EnumMap<>(Alert.Kind.class);
  private Set<Subject> pending = new LinkedHashSet<>();
  /** Subjects whose evaluation failed: looked at again with the next batch. */
  private final Set<Subject> retry = new LinkedHashSet<>();
  private boolean running;
  private Promise<Void> idle = Promise.promise();
  private Future<Void> deliveries = Future.succeededFuture();
  /** When the last evaluation started (System.nanoTime), for {@link AlertOptions#evaluateEveryMs()}. */
  private long lastStart = System.nanoTime() - Long.MAX_VALUE / 2;

  public BudgetAlerts(Vertx vertx, Pool pool, AlertOptions options, MeterRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.evaluator = new AlertEvaluator(pool, options);
    this.delivery = new WebhookDelivery(vertx, pool, options, registry);
    for (Alert.Kind kind : Alert.Kind.values()) {
      fired.put(kind, Counter.builder("tollgate_budget_alerts").tag("kind", kind.tag())
          .description("Budget alerts fired by this node (each fires on one node of the cluster)").register(registry));
    }
  }

  /** The events of a batch that just committed to the ledger. */
  public void committed(List<UsageEvent> events) {
    Set<Subject> subjects = Subject.of(events);
    if (subjects.isEmpty()) {
      return;
    }
    pending.addAll(retry);
    retry.clear();
    pending.addAll(subjects);
    if (!running) {
      running = true;
      // A fresh promise for this run; whoever waits on the previous one (its deliveries may still
      // be in flight) now waits for this run too.
      Promise<Void> previous = idle;
      idle = Promise.promise();
      idle.future().onComplete(ar -> previous.tryComplete());
      next();
    }
  }

  /**
   * An external key froze itself (published by the admin node that froze it, to every billing
   * node): fired once cluster-wide through the same {@code budget_alerts} row as budget alerts (its
   * key is the key, the freeze time and the key's version), logged, counted and posted to the
   * webhooks that want {@code key.frozen}.
   */
  public Future<Void> keyFrozen(io.tollgate.api.channel.KeyFrozen frozen) {
    Alert alert = new Alert(java.util.UUID.randomUUID().toString(), Alert.Kind.KEY_FROZEN, Alert.Scope.KEY,
        frozen.keyId(), frozen.tenantId(), Alert.Period.EVENT, frozen.frozenAt(),
        (int) Math.min(Integer.MAX_VALUE, frozen.failures()), java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO,
        null);
    return evaluator.fire(List.of(alert)).compose(fired -> {
      if (fired.isEmpty()) {
        return Future.succeededFuture();
      }
      this.fired.get(Alert.Kind.KEY_FROZEN).increment();
      LOG.warn("key {} of tenant {} froze itself after {} bad signatures", frozen.keyId(), frozen.tenantId(),
          frozen.failures());
      Future<Void> previous = deliveries;
      Future<Void> these = delivery.deliver(fired);
      deliveries = previous.isComplete() ? these : Future.join(previous, these).mapEmpty();
      return these;
    });
  }

  /** Completes once nothing is pending and every delivery started so far has ended (tests, drains). */
  public Future<Void> idle() {
    return running ? idle.future() : deliveries;
  }

  private void next() {
    if (pending.isEmpty()) {
      running = false;
      Promise<Void> p = idle;
      deliveries.onComplete(ar -> p.tryComplete());
      return;
    }
    long wait = options.evaluateEveryMs() - (System.nanoTime() - lastStart) / 1_000_000;
    if (wait > 0) {
      vertx.setTimer(wait, id -> next());
      return;
    }
    lastStart = System.nanoTime();
    Set<Subject> now = pending;
    pending = new LinkedHashSet<>();
    evaluator.evaluate(now).onComplete(ar -> {
      if (ar.failed()) {
        // Looked at again with the next batch: a crossing is late, not lost.
        if (retry.size() < MAX_RETRY) {
          retry.addAll(now);
        }
        LOG.warn("budget alerts of {} keys/tenants not evaluated: {}", now.size(), ar.cause().toString());
      } else if (!ar.result().isEmpty()) {
        for (Alert a : ar.result()) {
          fired.get(a.kind()).increment();
          if (a.kind() == Alert.Kind.THRESHOLD) {
            LOG.warn("budget alert: {} {} spent ${} of its {} budget of ${} ({}% crossed, period from {})",
                a.scope().tag(), a.scopeId(), a.spendUsd().toPlainString(), a.period().tag(),
                a.limitUsd().toPlainString(), a.threshold(), a.periodStart());
          } else {
            LOG.warn("budget alert: {} {} spent ${} in the hour from {}, against ${} in an average hour before",
                a.scope().tag(), a.scopeId(), a.spendUsd().toPlainString(), a.periodStart(),
                a.limitUsd().toPlainString());
          }
        }
        Future<Void> previous = deliveries;
        Future<Void> these = delivery.deliver(ar.result());
        // Chained only while the earlier ones are in flight, so completed deliveries are not held.
        deliveries = previous.isComplete() ? these : Future.join(previous, these).mapEmpty();
      }
      next();
    });
  }

  public void close() {
    delivery.close();
  }
}
