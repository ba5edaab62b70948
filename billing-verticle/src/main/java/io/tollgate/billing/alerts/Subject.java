package io.tollgate.billing.alerts;

import io.tollgate.api.usage.UsageEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** A key or tenant whose spend changed in a UTC hour: what one evaluation looks at. */
record Subject(Alert.Scope scope, String id, String tenantId, Instant hour) {

  /** The keys and tenants (and their hours) of the billable events of a committed batch. */
  static Set<Subject> of(Collection<UsageEvent> events) {
    Set<Subject> out = new LinkedHashSet<>();
    for (UsageEvent e : events) {
      if (e.deploymentId() == null || e.costUsd().signum() == 0) {
        continue; // nothing was charged: no spend moved
      }
      Instant hour = e.startedAt().truncatedTo(ChronoUnit.HOURS);
      if (e.keyId() != null) {
        out.add(new Subject(Alert.Scope.KEY, e.keyId(), e.tenantId(), hour));
      }
      if (e.tenantId() != null) {
        out.add(new Subject(Alert.Scope.TENANT, e.tenantId(), e.tenantId(), hour));
      }
    }
    return out;
  }
}
