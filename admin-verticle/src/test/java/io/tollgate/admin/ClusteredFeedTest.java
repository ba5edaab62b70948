package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.tollgate.admin.support.AdminClient.Response;
import io.tollgate.admin.support.AdminNode;
import io.tollgate.admin.support.Await;
import io.tollgate.admin.support.FeedWatch;
import io.tollgate.admin.support.TestPostgres;
import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.keys.ApiKey;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Config feed across a cluster")
class ClusteredFeedTest {

  @TempDir
  Path dataDir;

  /** Loopback only, no multicast or cloud discovery; a cluster name of its own so parallel builds never meet. */
  static Vertx clustered(String clusterName) {
    Config config = ConfigUtil.loadConfig().setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1"));
    Vertx vertx = Await.result(Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config))
        .buildClustered(), 60_000);
    AdminNode.registerCodecs(vertx);
    return vertx;
  }

  @Test
  @DisplayName("a node without the admin role loads the snapshot over the cluster and sees a new key and its "
      + "revocation within a second")
  void acrossTheCluster() {
    acrossTheCluster(null);
  }

  @Test
  @DisplayName("keys with an expiry cross the cluster too")
  void expiringKeysAcrossTheCluster() {
    acrossTheCluster(Instant.parse("2031-06-01T12:00:00Z"));
  }

  private void acrossTheCluster(Instant expiry) {
    String clusterName = "tollgate-admin-test-" + UUID.randomUUID();
    try (TestPostgres pg = TestPostgres.start(dataDir)) {
      Vertx adminVertx = clustered(clusterName);
      Vertx edgeVertx = null;
      try {
        AdminNode admin = AdminNode.deploy(adminVertx, pg.uri());
        String tenantId = admin.client.post("/admin/v1/tenants", new JsonObject().put("name", "cluster-co")).json()
            .getString("id");
        String expiresAt = expiry == null ? null : expiry.toString();
        admin.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId).put("name", "before")
            .put("expires_at", expiresAt).put("models", new JsonArray().add("m")));

        edgeVertx = clustered(clusterName);
        ConfigFeed feed = new ConfigFeed(edgeVertx);
        Await.result(feed.start());
        Await.result(feed.whenReady(), 10_000);
        ApiKey before = feed.current().keys().stream().filter(k -> k.name().equals("before")).findFirst()
            .orElseThrow();
        assertThat(before.expiresAt()).isEqualTo(expiry);

        var created = FeedWatch.until(feed, i -> i.keys().stream().anyMatch(k -> k.name().equals("after")));
        Response key = admin.client.post("/admin/v1/keys", new JsonObject().put("tenant_id", tenantId)
            .put("name", "after").put("expires_at", expiresAt));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        ConfigIndex index = Await.result(created, 1_000);
        String id = key.json().getString("id");
        assertThat(index.keyBySecret(key.json().getString("key")).id()).isEqualTo(id);

        var revoked = FeedWatch.until(feed, i -> i.key(id) != null && !i.key(id).enabled());
        admin.client.patch("/admin/v1/keys/" + id, new JsonObject().put("enabled", false));
        assertThat(Await.result(revoked, 1_000).key(id).enabled()).isFalse();
      } finally {
        if (edgeVertx != null) {
          Await.result(edgeVertx.close(), 30_000);
        }
        Await.result(adminVertx.close(), 30_000);
      }
    }
  }
}
