package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where connectors may send requests (the {@code egress} block of the config file). A deployment's
 * {@code base_url} must be {@code http} or {@code https}; when {@code allow_hosts} is set its host
 * must be one of them (an entry {@code *.example.com} allows every subdomain). Link-local and cloud
 * metadata targets (169.254.0.0/16, fe80::/10, fd00:ec2::254, {@code metadata.google.internal})
 * are refused unless {@code allow_link_local}; loopback and private ranges are allowed by default
 * (a local vLLM or Ollama is the common case) and refused with {@code allow_loopback: false} or
 * {@code allow_private: false}.
 *
 * <p>{@link #check(String)} never resolves a name (it runs on event loops): it judges the URL's
 * host as written, and an IP literal by its range. Names (localhost included) are judged by
 * connectors after the HTTP client resolved and connected them ({@link #checkAddress}), before any
 * byte of the request is sent.
 *
 * @param allowHosts null or empty: any host (subject to the range rules)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EgressPolicy(Boolean allowLinkLocal, Boolean allowLoopback, Boolean allowPrivate,
                           List<String> allowHosts) {

  public static final boolean DEFAULT_ALLOW_LINK_LOCAL = false;
  public static final boolean DEFAULT_ALLOW_LOOPBACK = true;
  public static final boolean DEFAULT_ALLOW_PRIVATE = true;
  public static final EgressPolicy DEFAULTS = new EgressPolicy(null, null, null, null);

  /** Host names that are cloud metadata services whatever they resolve to. */
  private static final List<String> METADATA_NAMES = List.of("metadata.google.internal", "metadata.goog",
      "metadata");
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** Hosts a resolver may read as a number (2130706433, 0x7f.1, 0177.0.0.1): refused, being a disguise. */
  private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+)){0,3}");

  public EgressPolicy {
    allowLinkLocal = allowLinkLocal == null ? DEFAULT_ALLOW_LINK_LOCAL : allowLinkLocal;
    allowLoopback = allowLoopback == null ? DEFAULT_ALLOW_LOOPBACK : allowLoopback;
    allowPrivate = allowPrivate == null ? DEFAULT_ALLOW_PRIVATE : allowPrivate;
    allowHosts = allowHosts == null ? List.of() : allowHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
  }

  /** Why this base URL is refused, or null when it is allowed. Never does a DNS lookup. */
  public String check(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(baseUrl.trim());
    } catch (Exception e) {
      return "is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must be an http or https URL";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not carry credentials in the URL (use api_key)";
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return "has no host";
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!allowHosts.isEmpty() && !allowHosts.stream().anyMatch(matches(host))) {
      return "has host " + host + ", which is not in egress.allow_hosts";
    }
    if (METADATA_NAMES.contains(host) && !allowLinkLocal) {
      return "targets a cloud metadata service (" + host + "), refused unless egress.allow_link_local";
    }
    if (DOTTED_QUAD.matcher(host).matches() && java.util.Arrays.stream(host.split("\\."))
        .anyMatch(octet -> octet.length() > 1 && octet.startsWith("0"))) {
      // Some resolvers read 0177.0.0.1 as octal (127.0.0.1), Java as decimal: refuse the ambiguity.
      return "has a numeric host in a non-standard form (" + host + "); write the address without leading zeros";
    }
    InetAddress literal = literal(host);
    if (literal == null) {
      return NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()
          ? "has a numeric host in a non-standard form (" + host + "); write the address as a dotted quad"
          : null;
    }
    return checkAddress(literal);
  }

  /** Why a connection to this (resolved) address is refused, or null when it is allowed. */
  public String checkAddress(InetAddress address) {
    if (isLinkLocalOrMetadata(address) && !allowLinkLocal) {
      return "targets a link-local or cloud metadata address (" + address.getHostAddress()
          + "), refused unless egress.allow_link_local";
    }
    if ((address.isLoopbackAddress() || address.isAnyLocalAddress()) && !allowLoopback) {
      return "targets loopback (" + address.getHostAddress() + "), refused by egress.allow_loopback: false";
    }
    if (isPrivate(address) && !allowPrivate) {
      return "targets a private address (" + address.getHostAddress() + "), refused by egress.allow_private: false";
    }
    return null;
  }

  /** An IP address written in a URL host, parsed without any lookup; null for a name. */
  public static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean v4 = DOTTED_QUAD.matcher(h).matches();
    boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9a-fA-F:.%a-zA-Z]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      // A literal (digits and dots, or containing ':') is parsed, not resolved.
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isLinkLocalOrMetadata(InetAddress a) {
    if (a.isLinkLocalAddress()) {
      return true;
    }
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      // fd00:ec2::254, AWS's IPv6 instance metadata endpoint.
      byte[] aws = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
      if (java.util.Arrays.equals(b, aws)) {
        return true;
      }
      // An IPv4-mapped address (::ffff:169.254.169.254) is its IPv4 address.
      if (isMapped(b)) {
        return (b[12] & 0xff) == 169 && (b[13] & 0xff) == 254;
      }
    }
    return false;
  }

  private static boolean isPrivate(InetAddress a) {
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 10 || first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168
          || first == 100 && second >= 64 && second <= 127;
    }
    byte[] b = a.getAddress();
    return (b[0] & 0xfe) == 0xfc || a.isSiteLocalAddress();
  }

  private static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  private static java.util.function.Predicate<String> matches(String host) {
    return entry -> entry.startsWith("*.") ? host.endsWith(entry.substring(1)) : host.equals(entry);
  }
}
