package io.tollgate.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

/**
 * Hazelcast for {@code --cluster}: {@code ./cluster.xml} if present (operators can edit it), else
 * the copy packaged in the jar; placeholders filled from {@link Settings}. Never vertx-hazelcast's
 * built-in default, which multicasts on whatever interface it finds. With a cluster secret the
 * cluster name is derived from it ({@link ClusterSecurity#clusterName}), so nodes without the
 * secret are refused at join.
 */
final class ClusterSetup {

  private ClusterSetup() {
  }

  static HazelcastClusterManager clusterManager(Settings settings, String secret) {
    return clusterManager(settings, secret, name -> null);
  }

  static HazelcastClusterManager clusterManager(Settings settings, String secret, Function<String, String> env) {
    RedactingHazelcastLogging.install();
    Config config = config(settings, secret);
    kubernetes(config, env.apply("TOLLGATE_CLUSTER_DNS"));
    return new HazelcastClusterManager(config);
  }

  /**
   * In Kubernetes, members are found through a headless Service ({@code TOLLGATE_CLUSTER_DNS}, e.g.
   * {@code tollgate-cluster.tollgate.svc.cluster.local}): Hazelcast's built-in Kubernetes discovery
   * in DNS lookup mode, which needs no API permissions, replaces the tcp-ip member list. Without the
   * variable nothing changes.
   */
  static void kubernetes(Config config, String serviceDns) {
    if (serviceDns == null || serviceDns.isBlank()) {
      return;
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getTcpIpConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", serviceDns.trim());
    // The pod's own address is announced, not a pattern for loopback.
    config.getNetworkConfig().getInterfaces().setEnabled(false);
  }

  static Config config(Settings settings, String secret) {
    Properties props = new Properties();
    props.setProperty("tollgate.cluster.name", ClusterSecurity.clusterName(settings.clusterName(), secret));
    props.setProperty("tollgate.cluster.host", settings.clusterHost());
    props.setProperty("tollgate.cluster.members", settings.clusterMembers());
    props.setProperty("tollgate.cluster.port", Integer.toString(settings.clusterPort()));
    Path local = Path.of("cluster.xml");
    try (InputStream in = Files.isRegularFile(local) ? Files.newInputStream(local)
        : ClusterSetup.class.getResourceAsStream("/cluster.xml")) {
      if (in == null) {
        throw new IllegalStateException("cluster.xml is missing from the jar");
      }
      return new XmlConfigBuilder(in).setProperties(props).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
