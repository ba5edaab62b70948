package io.tollgate.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Matches a client address against a key's allow-list of addresses and CIDR blocks. */
final class IpAllowList {

  private IpAllowList() {
  }

  static boolean allows(List<String> allow, String clientIp) {
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
    int bits = slash < 0 ? net.length * 8 : Integer.parseInt(entry.substring(slash + 1));
    for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((net[i] & mask) != (client[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Literal addresses only: no DNS lookups on the event loop. */
  private static byte[] parse(String ip) {
    if (ip == null || ip.isEmpty() || !(Character.digit(ip.charAt(0), 16) >= 0 || ip.charAt(0) == ':')) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }
}
