package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.admin.AdminErrors;
import io.tollgate.api.audit.PromptRedactor;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.keys.TenantAudit;

/**
 * Body of {@code POST /admin/v1/tenants} and, merged over the current tenant, of PATCH.
 *
 * @param audit whether the tenant's prompts are stored (redacted) in the audit log; null: off
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantBody(String name, Boolean enabled, Limits limits, TenantAudit audit) {

  public TenantBody(String name, Boolean enabled, Limits limits) {
    this(name, enabled, limits, null);
  }

  public TenantBody validated() {
    Checks.required(name, "name");
    Checks.limits(limits, "limits.");
    if (audit != null) {
      PromptRedactor.Problem p = PromptRedactor.check(audit.redact());
      if (p != null) {
        String field = p.index() < 0 ? "audit.redact" : "audit.redact[" + p.index() + "]";
        throw AdminErrors.badRequest("'" + field + "' " + p.message(), field);
      }
    }
    return this;
  }

  public static TenantBody of(Tenant tenant) {
    return new TenantBody(tenant.name(), tenant.enabled(), tenant.limits(), tenant.audit());
  }

  public Tenant toTenant(String id, long version) {
    return new Tenant(id, name, enabled == null || enabled, limits, version, audit);
  }
}
