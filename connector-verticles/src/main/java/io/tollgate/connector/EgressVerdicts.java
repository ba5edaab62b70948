package io.tollgate.connector;

import io.tollgate.api.config.EgressPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * The egress policy's verdicts on the URLs one connector instance calls, remembered: judging a URL
 * parses it and runs a few patterns, twice per call (the deployment's base_url, then the origin
 * actually called), and a connector calls the same few URLs all day. Confined to the instance's
 * context; the policy is fixed for the instance's life. Bounded: past {@link #MAX_ENTRIES}
 * distinct URLs or addresses (config churn) it starts over.
 */
public final class EgressVerdicts {

  static final int MAX_ENTRIES = 1_024;
  private static final String ALLOWED = "";

  private final EgressPolicy policy;
  private final Map<String, String> verdicts = new HashMap<>();
  private final Map<String, String> addresses = new HashMap<>();

  EgressVerdicts(EgressPolicy policy) {
    this.policy = policy;
  }

  /** Why {@code url} is refused, or null; as {@link EgressPolicy#check}. */
  String refusal(String url) {
    if (url == null) {
      return policy.check(null);
    }
    String verdict = verdicts.get(url);
    if (verdict == null) {
      String refused = policy.check(url);
      verdict = refused == null ? ALLOWED : refused;
      if (verdicts.size() >= MAX_ENTRIES) {
        verdicts.clear();
      }
      verdicts.put(url, verdict);
    }
    return verdict.isEmpty() ? null : verdict;
  }

  /**
   * Why the address {@code ip} (a connected peer's, as text) is refused, or null; as
   * {@link EgressPolicy#checkAddress} of its literal (null, allowed, when it is not an IP literal).
   * Asked on every call, pooled connection or not.
   */
  String addressRefusal(String ip) {
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    String verdict = addresses.get(ip);
    if (verdict == null) {
      java.net.InetAddress literal = EgressPolicy.literal(ip);
      String refused = literal == null ? null : policy.checkAddress(literal);
      verdict = refused == null ? ALLOWED : refused;
      if (addresses.size() >= MAX_ENTRIES) {
        addresses.clear();
      }
      addresses.put(ip, verdict);
    }
    return verdict.isEmpty() ? null : verdict;
  }
}
