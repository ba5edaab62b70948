package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.http.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cluster security settings: the secret, the derived cluster name and the event bus's TLS")
class ClusterSecurityTest {

  private static final String SECRET = "a-cluster-secret-of-enough-length";

  private static ClusterSecurity fromEnv(Map<String, String> env) {
    return Settings.parse(new String[] {"--cluster"}, env).clusterSecurity();
  }

  @Test
  @DisplayName("the cluster name a node presents depends on the secret and does not contain it")
  void derivedName() {
    String one = ClusterSecurity.clusterName("tollgate", SECRET);
    assertThat(one).startsWith("tollgate-").doesNotContain(SECRET).isEqualTo(ClusterSecurity.clusterName("tollgate",
        SECRET));
    assertThat(ClusterSecurity.clusterName("tollgate", SECRET + "x")).isNotEqualTo(one);
    assertThat(ClusterSecurity.clusterName("other", SECRET)).isNotEqualTo(one);
    assertThat(ClusterSecurity.clusterName("tollgate", null)).isEqualTo("tollgate");
  }

  @Test
  @DisplayName("on loopback the secret and TLS are optional")
  void loopbackOptional() {
    assertThat(ClusterSecurity.NONE.requireFor("127.0.0.1")).isNull();
    assertThat(ClusterSecurity.NONE.requireFor("127.0.*.*")).isNull();
    assertThat(ClusterSecurity.NONE.requireFor("localhost")).isNull();
  }

  @Test
  @DisplayName("off loopback a node without a secret, or with a secret but no TLS, is refused with what to set")
  void nonLoopbackRequiresSecretAndTls() {
    assertThatThrownBy(() -> ClusterSecurity.NONE.requireFor("10.0.*.*"))
        .hasMessageContaining("TOLLGATE_CLUSTER_SECRET").hasMessageContaining("not loopback");
    assertThatThrownBy(() -> fromEnv(Map.of("TOLLGATE_CLUSTER_SECRET", SECRET)).requireFor("172.28.0.5"))
        .hasMessageContaining("TOLLGATE_CLUSTER_TLS_KEYSTORE");
    ClusterSecurity full = fromEnv(Map.of("TOLLGATE_CLUSTER_SECRET", SECRET,
        "TOLLGATE_CLUSTER_TLS_KEYSTORE", "/etc/tollgate/cluster.p12"));
    assertThat(full.requireFor("172.28.*.*")).isEqualTo(SECRET);
  }

  @Test
  @DisplayName("settings printed in a log show neither the secret nor the key store's password")
  void toStringHidesSecrets() {
    Settings settings = Settings.parse(new String[] {"--cluster"}, Map.of("TOLLGATE_CLUSTER_SECRET", SECRET,
        "TOLLGATE_CLUSTER_TLS_KEYSTORE", "/certs/cluster.p12", "TOLLGATE_CLUSTER_TLS_KEYSTORE_PASSWORD", "store-pw"));
    assertThat(settings.toString()).contains("/certs/cluster.p12").doesNotContain(SECRET).doesNotContain("store-pw");
  }

  @Test
  @DisplayName("a short secret is refused even on loopback")
  void shortSecret() {
    assertThatThrownBy(() -> fromEnv(Map.of("TOLLGATE_CLUSTER_SECRET", "short")).requireFor("127.0.0.1"))
        .hasMessageContaining("at least " + ClusterSecurity.MIN_SECRET_LENGTH);
  }

  @Test
  @DisplayName("the secret can come from a file, trimmed; an unreadable file is named in the error")
  void secretFile() throws Exception {
    Path file = Files.createTempFile(Path.of("target"), "cluster-secret", "");
    Files.writeString(file, SECRET + "\n");
    assertThat(fromEnv(Map.of("TOLLGATE_CLUSTER_SECRET_FILE", file.toString())).requireFor("127.0.0.1"))
        .isEqualTo(SECRET);
    Path missing = file.resolveSibling("no-such-secret");
    assertThatThrownBy(() -> fromEnv(Map.of("TOLLGATE_CLUSTER_SECRET_FILE", missing.toString()))
        .requireFor("127.0.0.1")).hasMessageContaining("TOLLGATE_CLUSTER_SECRET_FILE").hasMessageContaining(
            missing.toString());
  }

  @Test
  @DisplayName("TLS settings that do not fit together are refused when the environment is read")
  void inconsistentTls() {
    assertThatThrownBy(() -> fromEnv(Map.of("TOLLGATE_CLUSTER_TLS_CERT", "/c.pem")))
        .hasMessageContaining("TOLLGATE_CLUSTER_TLS_KEY");
    assertThatThrownBy(() -> fromEnv(Map.of("TOLLGATE_CLUSTER_TLS_KEYSTORE", "/k.p12",
        "TOLLGATE_CLUSTER_TLS_CERT", "/c.pem", "TOLLGATE_CLUSTER_TLS_KEY", "/k.pem"))).hasMessageContaining("not both");
    assertThatThrownBy(() -> fromEnv(Map.of("TOLLGATE_CLUSTER_TLS_CA", "/ca.pem")))
        .hasMessageContaining("TOLLGATE_CLUSTER_TLS_CA");
  }

  @Test
  @DisplayName("with TLS the event bus requires client certificates; a missing file is named before anything starts")
  void eventBusOptions() {
    assertThat(ClusterTls.NONE.eventBusOptions().isSsl()).isFalse();
    SelfSignedCertificate cert = SelfSignedCertificate.create("tollgate-cluster");
    try {
      EventBusOptions options = fromEnv(Map.of("TOLLGATE_CLUSTER_TLS_CERT", cert.certificatePath(),
          "TOLLGATE_CLUSTER_TLS_KEY", cert.privateKeyPath())).tls().eventBusOptions();
      assertThat(options.isSsl()).isTrue();
      assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
      assertThat(options.isTrustAll()).isFalse();
    } finally {
      cert.delete();
    }
    ClusterTls tls = fromEnv(Map.of("TOLLGATE_CLUSTER_TLS_KEYSTORE", "target/no-such-cluster.p12")).tls();
    assertThatThrownBy(tls::eventBusOptions).hasMessageContaining("target/no-such-cluster.p12");
  }

  @Test
  @DisplayName("a clustered node on a non-loopback interface without a secret refuses to start, saying what to set")
  void nodeRefusesToStart() throws Exception {
    Settings settings = new Settings(Set.of(Role.CONNECTOR), true, null, "127.0.0.1", 0, 0, 0, "10.11.12.13",
        "10.11.12.13", 5801, TestGateway.uniqueClusterName(), TestGateway.freshDataDir(), null, null, null, false,
        null, null);
    Future<Tollgate> started = Tollgate.start(settings, name -> null);
    assertThat(started.failed()).isTrue();
    assertThat(started.cause()).hasMessageContaining("TOLLGATE_CLUSTER_SECRET");
  }

  @Test
  @DisplayName("a single JVM (no --cluster) starts without a secret whatever TOLLGATE_CLUSTER_HOST says")
  void singleJvmNeedsNothing() throws Exception {
    Settings settings = new Settings(Set.of(Role.CONNECTOR), false, null, "127.0.0.1", 0, 0, 0, "10.11.12.13",
        "10.11.12.13", 5801, "unused", TestGateway.freshDataDir(), null, null, null, false, null, null);
    Tollgate.start(settings, name -> null).await(30, TimeUnit.SECONDS).close().await();
  }
}
