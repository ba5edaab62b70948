package io.tollgate.api.keys;

/** A tenant (team, customer): owns keys; its limits apply to all its keys together. */
public record Tenant(String id, String name, boolean enabled, Limits limits, long version) {

  public Tenant {
    limits = limits == null ? Limits.NONE : limits;
  }
}
