package io.tollgate.connector;

import io.tollgate.api.config.EgressPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

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
    return url == null ? policy.check(null) : remembered(verdicts, url, policy::check);
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
    return remembered(addresses, ip, text -> {
      java.net.InetAddress literal = EgressPolicy.literal(text);
      return literal == null ? null : policy.checkAddress(literal);
    });
  }

  private static String remembered(Map<String, String> memo, String key, UnaryOperator<String> judge) {
    String verdict = memo.get(key);
    if (verdict == null) {
      String refused = judge.apply(key);
      verdict = refused == null ? ALLOWED : refused;
      if (memo.size() >= MAX_ENTRIES) {
        memo.clear();
      }
      memo.put(key, verdict);
    }
    return verdict.isEmpty() ? null : verdict;
  }
}
