package io.tollgate.launcher;

import io.tollgate.api.keys.IpAllowList;
import io.tollgate.edge.EdgeOptions;
import io.tollgate.edge.EdgeOptions.ForwardedHeader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The edge's connection hygiene and proxy trust, from the environment.
 *
 * <pre>
 * TOLLGATE_EDGE_IDLE_TIMEOUT_MS (60000)          close a connection without a request in progress
 * TOLLGATE_EDGE_REQUEST_READ_TIMEOUT_MS (30000)  a request body must arrive within this of its headers
 * TOLLGATE_EDGE_MAX_CONNECTIONS (10000)          open client connections per node (split over instances)
 * TOLLGATE_TRUSTED_PROXIES (none)                comma-separated addresses/CIDRs of reverse proxies
 * TOLLGATE_FORWARDED_HEADER (x-forwarded-for)    the header those proxies set: x-forwarded-for or forwarded
 * </pre>
 */
public record EdgeSettings(long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections,
                           List<String> trustedProxies, ForwardedHeader forwardedHeader) {

  /** Per node; each edge instance gets its share (connections are dealt to instances in turn). */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  public static final EdgeSettings DEFAULTS = new EdgeSettings(EdgeOptions.DEFAULT_IDLE_TIMEOUT_MS,
      EdgeOptions.DEFAULT_REQUEST_READ_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, List.of(),
      EdgeOptions.DEFAULT_FORWARDED_HEADER);

  public EdgeSettings {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** Throws IllegalArgumentException naming the variable when a value is not usable. */
  static EdgeSettings parse(Map<String, String> env) {
    return new EdgeSettings(
        positive(env, "TOLLGATE_EDGE_IDLE_TIMEOUT_MS", EdgeOptions.DEFAULT_IDLE_TIMEOUT_MS),
        positive(env, "TOLLGATE_EDGE_REQUEST_READ_TIMEOUT_MS", EdgeOptions.DEFAULT_REQUEST_READ_TIMEOUT_MS),
        (int) Math.min(Integer.MAX_VALUE, positive(env, "TOLLGATE_EDGE_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS)),
        proxies(env.get("TOLLGATE_TRUSTED_PROXIES")),
        header(env.get("TOLLGATE_FORWARDED_HEADER")));
  }

  /** The edge options of one of {@code instances} edge verticles on this node. */
  EdgeOptions apply(EdgeOptions base, int instances) {
    int perInstance = Math.max(1, (maxConnections + instances - 1) / instances);
    return base.withConnections(idleTimeoutMs, requestReadTimeoutMs, perInstance)
        .withTrustedProxies(trustedProxies, forwardedHeader);
  }

  private static long positive(Map<String, String> env, String name, long dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long value = Long.parseLong(v.trim());
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive whole number, got '" + v + "'");
    }
  }

  private static List<String> proxies(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> proxies = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String p : proxies) {
      if (!IpAllowList.valid(p)) {
        throw new IllegalArgumentException("TOLLGATE_TRUSTED_PROXIES: '" + p
            + "' is not an IP address or CIDR block (host names are not accepted)");
      }
    }
    return proxies;
  }

  private static ForwardedHeader header(String value) {
    if (value == null || value.isBlank()) {
      return EdgeOptions.DEFAULT_FORWARDED_HEADER;
    }
    try {
      return ForwardedHeader.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_FORWARDED_HEADER: " + e.getMessage());
    }
  }
}
