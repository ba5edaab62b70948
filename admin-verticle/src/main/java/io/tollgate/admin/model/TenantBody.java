package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;

/** Body of {@code POST /admin/v1/tenants} and, merged over the current tenant, of PATCH. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantBody(String name, Boolean enabled, Limits limits) {

  public TenantBody validated() {
    Checks.required(name, "name");
    Checks.limits(limits, "limits.");
    return this;
  }

  public static TenantBody of(Tenant tenant) {
    return new TenantBody(tenant.name(), tenant.enabled(), tenant.limits());
  }

  public Tenant toTenant(String id, long version) {
    return new Tenant(id, name, enabled == null || enabled, limits, version);
  }
}
