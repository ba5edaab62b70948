package io.tollgate.api.keys;

/**
 * A tenant (team, customer): owns keys; its limits apply to all its keys together.
 *
 * @param audit whether and how its prompts are stored in the audit log ({@link TenantAudit#NONE}: not)
 */
public record Tenant(String id, String name, boolean enabled, Limits limits, long version, TenantAudit audit) {

  public Tenant {
    limits = limits == null ? Limits.NONE : limits;
    audit = audit == null ? TenantAudit.NONE : audit;
  }

  /** A tenant with the default audit settings (no text stored). */
  public Tenant(String id, String name, boolean enabled, Limits limits, long version) {
    this(id, name, enabled, limits, version, TenantAudit.NONE);
  }
}
