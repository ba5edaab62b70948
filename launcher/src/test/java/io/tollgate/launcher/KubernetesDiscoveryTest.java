package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TOLLGATE_CLUSTER_DNS switches Hazelcast to Kubernetes discovery through a headless Service")
class KubernetesDiscoveryTest {

  private static Config base() {
    Config config = new Config();
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    return config;
  }

  @Test
  @DisplayName("with a service DNS name: DNS lookup discovery, no tcp-ip list, no multicast")
  void dns() {
    Config config = base();
    ClusterSetup.kubernetes(config, " tollgate-cluster.tollgate.svc.cluster.local ");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("tollgate-cluster.tollgate.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
  }

  @Test
  @DisplayName("without it the tcp-ip configuration stays as it was")
  void none() {
    Config config = base();
    ClusterSetup.kubernetes(config, null);
    ClusterSetup.kubernetes(config, " ");
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled()).isFalse();
  }
}
