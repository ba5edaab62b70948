package io.tollgate.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may be part of a cluster: a shared secret that keys the Hazelcast cluster name, and the
 * event bus's mutual TLS ({@link ClusterTls}).
 *
 * <p>Open-source Hazelcast has no member authentication (its security, TLS and socket
 * interceptors need the Enterprise edition), but every join request is refused unless it carries
 * the same cluster name, and so is every Hazelcast client. The name a node presents is therefore
 * derived from the secret with HMAC-SHA256: without the secret a node presents another name and
 * never becomes a member. The name itself travels in clear on the Hazelcast port, so it keeps out
 * nodes that do not know the secret, not someone who can read that port's traffic; what keeps
 * message bodies (prompts, config events) private is the event bus's TLS, which Hazelcast does
 * not carry.
 *
 * @param secret     {@code TOLLGATE_CLUSTER_SECRET}, or null
 * @param secretFile {@code TOLLGATE_CLUSTER_SECRET_FILE} (read at start), or null
 * @param tls        the event bus's TLS material
 */
public record ClusterSecurity(String secret, Path secretFile, ClusterTls tls) {

  /** No secret, no TLS: what a cluster on loopback may run with. */
  public static final ClusterSecurity NONE = new ClusterSecurity(null, null, ClusterTls.NONE);
  /** Shorter secrets could be guessed offline from a derived name seen on the wire. */
  public static final int MIN_SECRET_LENGTH = 16;
  private static final String DERIVATION_LABEL = "tollgate-cluster-name-v1:";

  static ClusterSecurity fromEnv(Map<String, String> env) {
    String file = env.get("TOLLGATE_CLUSTER_SECRET_FILE");
    return new ClusterSecurity(blankToNull(env.get("TOLLGATE_CLUSTER_SECRET")),
        file == null || file.isBlank() ? null : Path.of(file.trim()), ClusterTls.fromEnv(env));
  }

  /**
   * Checks this node may start clustered on {@code clusterHost} and returns its secret (null on
   * loopback without one). Off loopback both the secret and TLS are required: anyone on the
   * network could otherwise join and read or inject event-bus traffic.
   */
  String requireFor(String clusterHost) {
    String s = readSecret();
    if (s != null && s.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("TOLLGATE_CLUSTER_SECRET must be at least " + MIN_SECRET_LENGTH
          + " characters (e.g. the output of: openssl rand -base64 32)");
    }
    if (!isLoopback(clusterHost)) {
      if (s == null) {
        throw new IllegalArgumentException("the cluster interface " + clusterHost + " is not loopback: set "
            + "TOLLGATE_CLUSTER_SECRET (or TOLLGATE_CLUSTER_SECRET_FILE) to the same secret on every node, "
            + "so that nodes without it cannot join");
      }
      if (!tls.enabled()) {
        throw new IllegalArgumentException("the cluster interface " + clusterHost + " is not loopback: set "
            + "TOLLGATE_CLUSTER_TLS_KEYSTORE (or TOLLGATE_CLUSTER_TLS_CERT and TOLLGATE_CLUSTER_TLS_KEY), "
            + "so that event-bus traffic is encrypted and only nodes with the cluster certificate connect");
      }
    }
    return s;
  }

  private String readSecret() {
    if (secret != null) {
      return secret;
    }
    if (secretFile == null) {
      return null;
    }
    try {
      return blankToNull(Files.readString(secretFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TOLLGATE_CLUSTER_SECRET_FILE " + secretFile + ": " + e);
    }
  }

  /**
   * The Hazelcast cluster name a node presents: the configured name as is without a secret, else
   * the name followed by HMAC-SHA256(secret, name), which reveals nothing about the secret.
   */
  static String clusterName(String name, String secret) {
    if (secret == null) {
      return name;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] tag = mac.doFinal((DERIVATION_LABEL + name).getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Whether a Hazelcast interface (an address, a pattern like 127.0.*.* or a host name) is loopback only. */
  static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(java.util.Locale.ROOT);
    return h.startsWith("127.") || h.equals("localhost") || h.equals("::1") || h.equals("[::1]")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /** Never the secret itself: settings end up in logs and error messages. */
  @Override
  public String toString() {
    return "ClusterSecurity[secret=" + (secret == null ? "none" : "***") + ", secretFile=" + secretFile
        + ", tls=" + tls + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
