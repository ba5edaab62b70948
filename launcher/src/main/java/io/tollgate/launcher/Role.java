package io.tollgate.launcher;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a node runs. {@code --roles} takes a comma-separated list; the default is all of them. */
public enum Role {
  EDGE, ROUTER, CONNECTOR, BILLING, AUDIT, ADMIN;

  /** Roles that have work in this version; the others are accepted so that scripts keep working. */
  static final Set<Role> IMPLEMENTED = EnumSet.of(EDGE, ROUTER, CONNECTOR, BILLING, AUDIT);

  static Set<Role> parse(String list) {
    if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
      return EnumSet.allOf(Role.class);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : list.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown role '" + part.trim() + "' (known: edge, router, connector, "
            + "billing, audit, admin, all)");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("--roles needs at least one role");
    }
    return roles;
  }
}
