package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The {@code audit} section of the config file ({@code TOLLGATE_AUDIT_RETENTION_DAYS} wins over it).
 *
 * @param retentionDays day partitions of the audit log (request and admin records) wholly older than
 *                      this many days are dropped; null: the audit role's default (30)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuditConfig(Integer retentionDays) {

  public static final AuditConfig NONE = new AuditConfig(null);

  public AuditConfig {
    if (retentionDays != null && retentionDays < 1) {
      throw new IllegalArgumentException("audit.retention_days must be a whole number of days >= 1, got "
          + retentionDays);
    }
  }
}
