package io.tollgate.launcher;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Mutual TLS for the clustered event bus, which carries every message body between nodes. Each
 * node presents the cluster certificate and accepts only peers whose certificate its trust
 * material vouches for. By default that is the node's own certificate: one certificate and key
 * shared by every node is the simplest cluster identity. Host names are not checked (Vert.x's
 * event-bus client never does), so one certificate serves every address.
 *
 * @param keyStore         {@code TOLLGATE_CLUSTER_TLS_KEYSTORE}: a PKCS#12 file with the key and certificate
 * @param keyStorePassword {@code TOLLGATE_CLUSTER_TLS_KEYSTORE_PASSWORD}
 * @param cert             {@code TOLLGATE_CLUSTER_TLS_CERT}: PEM certificate (chain), instead of a key store
 * @param key              {@code TOLLGATE_CLUSTER_TLS_KEY}: its PEM private key
 * @param ca               {@code TOLLGATE_CLUSTER_TLS_CA}: PEM certificates to trust; null trusts the node's own
 */
public record ClusterTls(Path keyStore, String keyStorePassword, Path cert, Path key, Path ca) {

  public static final ClusterTls NONE = new ClusterTls(null, null, null, null, null);

  public ClusterTls {
    if (keyStore != null && (cert != null || key != null)) {
      throw new IllegalArgumentException("set either TOLLGATE_CLUSTER_TLS_KEYSTORE or TOLLGATE_CLUSTER_TLS_CERT "
          + "and TOLLGATE_CLUSTER_TLS_KEY, not both");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("TOLLGATE_CLUSTER_TLS_CERT and TOLLGATE_CLUSTER_TLS_KEY go together");
    }
    if (ca != null && keyStore == null && cert == null) {
      throw new IllegalArgumentException("TOLLGATE_CLUSTER_TLS_CA needs the node's own certificate too "
          + "(TOLLGATE_CLUSTER_TLS_KEYSTORE or TOLLGATE_CLUSTER_TLS_CERT and TOLLGATE_CLUSTER_TLS_KEY)");
    }
  }

  static ClusterTls fromEnv(Map<String, String> env) {
    return new ClusterTls(path(env, "TOLLGATE_CLUSTER_TLS_KEYSTORE"),
        env.get("TOLLGATE_CLUSTER_TLS_KEYSTORE_PASSWORD"),
        path(env, "TOLLGATE_CLUSTER_TLS_CERT"), path(env, "TOLLGATE_CLUSTER_TLS_KEY"),
        path(env, "TOLLGATE_CLUSTER_TLS_CA"));
  }

  public boolean enabled() {
    return keyStore != null || cert != null;
  }

  /** The event bus's options: TLS with client certificates required, or plain TCP when not enabled. */
  EventBusOptions eventBusOptions() {
    EventBusOptions options = new EventBusOptions();
    if (!enabled()) {
      return options;
    }
    for (Path p : new Path[] {keyStore, cert, key, ca}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException("cluster TLS file " + p + " does not exist or cannot be read");
      }
    }
    KeyCertOptions own;
    TrustOptions trust;
    if (keyStore != null) {
      // PfxOptions, not KeyStoreOptions: the event bus copies its options through JSON, and only the
      // named store types survive that copy.
      PfxOptions store = new PfxOptions().setPath(keyStore.toString())
          .setPassword(keyStorePassword == null ? "" : keyStorePassword);
      own = store;
      trust = store;
    } else {
      own = new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
      trust = new PemTrustOptions().addCertPath(cert.toString());
    }
    if (ca != null) {
      trust = new PemTrustOptions().addCertPath(ca.toString());
    }
    // The event bus trusts every certificate by default (trustAll is true in EventBusOptions): a
    // peer with any self-made certificate would pass. Only the cluster's trust material counts.
    return options.setSsl(true).setTrustAll(false).setKeyCertOptions(own).setTrustOptions(trust)
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /** Never the key store's password. */
  @Override
  public String toString() {
    return "ClusterTls[keyStore=" + keyStore + ", cert=" + cert + ", key=" + key + ", ca=" + ca + "]";
  }

  private static Path path(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }
}
