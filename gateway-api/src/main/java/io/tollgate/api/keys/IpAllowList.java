package io.tollgate.api.keys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A key's allow-list of client addresses and CIDR blocks: the edge matches against it, the admin
 * API validates entries with it, so both agree on what a rule is.
 */
public final class IpAllowList {

  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpAllowList() {
  }

  /** Whether a rule is a literal IPv4/IPv6 address, optionally with a prefix length that fits it. */
  public static boolean valid(String rule) {
    if (rule == null) {
      return false;
    }
    int slash = rule.indexOf('/');
    byte[] net = parse(slash < 0 ? rule : rule.substring(0, slash));
    return net != null && (slash < 0 || prefixLength(rule.substring(slash + 1), net.length * 8) >= 0);
  }

  public static boolean allows(List<String> allow, String clientIp) {
    if (allow.isEmpty()) {
      return true;
    }
    byte[] client = parse(clientIp);
    if (client == null) {
      return false;
    }
    for (String entry : allow) {
      if (matches(entry, client)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String entry, byte[] client) {
    int slash = entry.indexOf('/');
    byte[] net = parse(slash < 0 ? entry : entry.substring(0, slash));
    if (net == null || net.length != client.length) {
      return false;
    }
    int bits = slash < 0 ? net.length * 8 : prefixLength(entry.substring(slash + 1), net.length * 8);
    if (bits < 0) {
      return false;
    }
    for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((net[i] & mask) != (client[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** A prefix length in [0, max], or -1 for anything else (a rule that matches nothing). */
  private static int prefixLength(String text, int max) {
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int bits = Integer.parseInt(text);
    return bits <= max ? bits : -1;
  }

  /**
   * Literal addresses only, checked before {@link InetAddress#getByName} sees them: given anything
   * that is not a literal it would ask DNS, on the event loop. IPv4 must be a full dotted quad.
   */
  private static byte[] parse(String ip) {
    if (ip == null || !(IPV4.matcher(ip).matches() || (ip.indexOf(':') >= 0 && IPV6.matcher(ip).matches()))) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }
}
