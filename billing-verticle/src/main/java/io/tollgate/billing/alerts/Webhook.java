package io.tollgate.billing.alerts;

import java.util.List;

/**
 * A registered receiver of alerts (table {@code webhooks}, managed through the admin API).
 *
 * @param events   event types it wants ({@code budget.threshold}, {@code budget.spike}); empty: all
 * @param tenantId only alerts of this tenant (and its keys); null: every tenant
 * @param secret   signs each delivery; null: unsigned
 */
record Webhook(String id, String url, String secret, List<String> events, String tenantId) {

  boolean wants(Alert alert) {
    return (events.isEmpty() || events.contains(alert.kind().type()))
        && (tenantId == null || tenantId.equals(alert.tenantId()));
  }
}
