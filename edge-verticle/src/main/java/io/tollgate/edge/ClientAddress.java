package io.tollgate.edge;

import io.tollgate.api.keys.IpAllowList;
import io.tollgate.edge.EdgeOptions.ForwardedHeader;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address as {@code ip_allow} should see it. Behind reverse proxies the socket peer is
 * the nearest proxy; the client is named in a forwarding header, which anyone can also send. So the
 * header is believed only when the peer is a configured trusted proxy, and then only as far as the
 * chain is written by trusted hops: walking it from the right (the nearest hop) the first address
 * that is not a trusted proxy is the client. Everything to its left was written by the client and
 * is ignored.
 *
 * <p>A hop that is not a literal address ({@code unknown}, an obfuscated RFC 7239 identifier,
 * garbage) where the walk needs one yields {@link #UNKNOWN}: never the peer (a trusted proxy whose
 * address an allow-list might contain), and an address no allow-list rule matches.
 */
final class ClientAddress {

  /** The client when a trusted proxy did not name it usably. */
  static final String UNKNOWN = "unknown";

  private final List<String> trusted;
  private final ForwardedHeader header;

  ClientAddress(List<String> trustedProxies, ForwardedHeader header) {
    this.trusted = List.copyOf(trustedProxies);
    this.header = header;
  }

  String of(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (trusted.isEmpty()) {
      return peer;
    }
    return resolve(peer, request.headers().getAll(header.headerName()));
  }

  /** The client given the socket peer and every value of the forwarding header, in order. */
  String resolve(String peer, List<String> headerValues) {
    if (!isTrusted(peer) || headerValues.isEmpty()) {
      return peer;
    }
    List<String> hops = header == ForwardedHeader.FORWARDED ? forwardedFor(headerValues) : xForwardedFor(headerValues);
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = literal(hops.get(i));
      if (hop == null) {
        return UNKNOWN;
      }
      if (!isTrusted(hop) || i == 0) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(String address) {
    return address != null && !trusted.isEmpty() && IpAllowList.allows(trusted, address);
  }

  private static List<String> xForwardedFor(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String value : values) {
      for (String part : value.split(",", -1)) {
        hops.add(part.trim());
      }
    }
    return hops;
  }

  /** The {@code for=} of each element of RFC 7239 {@code Forwarded}; "" for an element without one. */
  private static List<String> forwardedFor(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String value : values) {
      for (String element : splitOutsideQuotes(value, ',')) {
        String forValue = "";
        for (String pair : splitOutsideQuotes(element, ';')) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
            forValue = unquote(pair.substring(eq + 1).trim());
          }
        }
        hops.add(forValue);
      }
    }
    return hops;
  }

  private static List<String> splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < text.length()) {
        current.append(c);
        c = text.charAt(++i);
      } else if (c == separator && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    parts.add(current.toString());
    return parts;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return value;
  }

  /**
   * The literal address in a hop ({@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
   * {@code [2001:db8::1]:4711}), or null. Only literals: nothing here may reach DNS.
   */
  static String literal(String hop) {
    String h = hop.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0 || !(close == h.length() - 1 || isPort(h.substring(close + 1)))) {
        return null;
      }
      h = h.substring(1, close);
      return h.indexOf(':') >= 0 && isAddress(h) ? h : null;
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && colon == h.lastIndexOf(':')) {
      // IPv4 with a port; a bare IPv6 address has more than one colon.
      if (!isPort(h.substring(colon))) {
        return null;
      }
      h = h.substring(0, colon);
      return h.indexOf(':') < 0 && isAddress(h) ? h : null;
    }
    return isAddress(h) ? h : null;
  }

  private static boolean isAddress(String h) {
    return !h.isEmpty() && h.indexOf('/') < 0 && IpAllowList.valid(h);
  }

  /** {@code :digits}. */
  private static boolean isPort(String text) {
    return text.length() > 1 && text.length() <= 6 && text.charAt(0) == ':'
        && text.substring(1).chars().allMatch(Character::isDigit);
  }
}
