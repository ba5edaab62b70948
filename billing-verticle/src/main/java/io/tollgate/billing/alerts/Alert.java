package io.tollgate.billing.alerts;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One fired budget alert, as stored in {@code budget_alerts} and posted to webhooks.
 *
 * @param threshold  the percentage crossed; 0 for a spike
 * @param spendUsd   what was spent in the period (for a spike: in the hour)
 * @param limitUsd   the budget (for a spike: the average hour of the window before it)
 */
public record Alert(String id, Kind kind, Scope scope, String scopeId, String tenantId, Period period,
                    Instant periodStart, int threshold, BigDecimal spendUsd, BigDecimal limitUsd, Instant firedAt) {

  /** What fired; {@link #type()} is the webhook event name. */
  public enum Kind {
    THRESHOLD("budget.threshold"), SPIKE("budget.spike"),
    /** An external key froze itself after too many bad signatures ({@code threshold}: the failures). */
    KEY_FROZEN("key.frozen");

    private final String type;

    Kind(String type) {
      this.type = type;
    }

    public String type() {
      return type;
    }

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum Scope {
    KEY, TENANT;

    public String field() {
      return this == KEY ? "key_id" : "tenant_id";
    }

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum Period {
    DAILY, MONTHLY, TOTAL, HOUR,
    /** A one-off event (a key freezing), {@code periodStart} its time. */
    EVENT;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The dedupe key of {@code budget_alerts}, as one string (for this node's memory of what fired). */
  String dedupeKey() {
    return kind + "|" + scope + "|" + scopeId + "|" + period + "|" + periodStart + "|" + threshold;
  }

  Alert fired(Instant at) {
    return new Alert(id, kind, scope, scopeId, tenantId, period, periodStart, threshold, spendUsd, limitUsd, at);
  }

  /** The webhook body; money as decimal strings, as everywhere in the admin API. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("type", kind.type())
        .put("scope", scope.tag())
        .put(scope.field(), scopeId);
    if (scope == Scope.KEY && tenantId != null) {
      json.put("tenant_id", tenantId);
    }
    if (kind == Kind.KEY_FROZEN) {
      return json.put("failures", threshold).put("frozen_at", periodStart.toString())
          .put("fired_at", firedAt == null ? null : firedAt.toString());
    }
    json.put("period", period.tag()).put("period_start", periodStart.toString());
    if (kind == Kind.THRESHOLD) {
      json.put("threshold_percent", threshold).put("spend_usd", spendUsd.toPlainString())
          .put("budget_usd", limitUsd.toPlainString());
    } else {
      json.put("spend_usd", spendUsd.toPlainString()).put("average_usd", limitUsd.toPlainString());
    }
    return json.put("fired_at", firedAt == null ? null : firedAt.toString());
  }
}
