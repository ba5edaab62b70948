package io.tollgate.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.routing.RoutingStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shared learning: two clustered router nodes hold the same statistics from outcomes published on one")
class ClusteredLearningTest {

  private static final ModelConfig MODEL = new ModelConfig("gpt", null, "thompson", List.of(
      new DeploymentConfig("primary", "openai", null, null, null, 1, 0, null, null, null, null, null),
      new DeploymentConfig("backup", "mock", null, null, null, 1, 1, null, null, null, null, null)));
  private static final ConfigIndex CONFIG = new ConfigIndex(new ConfigSnapshot(1, null, null, List.of(MODEL)));

  private Vertx nodeA;
  private Vertx nodeB;

  @AfterEach
  void close() throws Exception {
    for (Vertx v : new Vertx[] {nodeA, nodeB}) {
      if (v != null) {
        await(v.close());
      }
    }
  }

  @Test
  @DisplayName("outcomes published on node A reach node B's router: same counts, same posterior, same open breaker")
  void sameStatistics() throws Exception {
    String cluster = "tollgate-router-test-" + UUID.randomUUID();
    nodeA = clustered(cluster);
    nodeB = clustered(cluster);
    // A frozen clock: no decay between the two reads, so the statistics must be exactly equal.
    RouterVerticle routerA = new RouterVerticle(RouterOptions.DEFAULTS, () -> CONFIG, () -> 1L, new SplittableRandom(1));
    RouterVerticle routerB = new RouterVerticle(RouterOptions.DEFAULTS, () -> CONFIG, () -> 1L, new SplittableRandom(2));
    await(nodeA.deployVerticle(routerA));
    await(nodeB.deployVerticle(routerB));
    awaitSubscribers();

    for (int i = 0; i < 7; i++) {
      nodeA.eventBus().publish(Addresses.OUTCOMES, outcome("ok-" + i, "backup", Outcome.Status.OK, null));
    }
    for (int i = 0; i < 5; i++) {
      nodeA.eventBus().publish(Addresses.OUTCOMES, outcome("bad-" + i, "primary", Outcome.Status.ERROR,
          ErrorCode.UPSTREAM_ERROR));
    }

    RoutingStats a = awaitRequests(routerA, 12);
    RoutingStats b = awaitRequests(routerB, 12);
    assertThat(b).isEqualTo(a);
    assertThat(b.deployments()).extracting(RoutingStats.DeploymentStats::id, RoutingStats.DeploymentStats::breaker)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("primary", "open"),
            org.assertj.core.groups.Tuple.tuple("backup", "closed"));
    RoutingStats.DeploymentStats backup = b.deployments().get(1);
    assertThat(backup.alpha()).isEqualTo(8.0);
    assertThat(backup.beta()).isEqualTo(1.0);
  }

  /** Publishes probes until node A's outcomes reach a consumer on node B (subscriptions propagate asynchronously). */
  private void awaitSubscribers() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    java.util.concurrent.CompletableFuture<Void> seen = new java.util.concurrent.CompletableFuture<>();
    var probe = nodeB.eventBus().<Outcome>consumer(Addresses.OUTCOMES, m -> {
      if (m.body().model().equals("probe")) {
        seen.complete(null);
      }
    });
    await(probe.completion());
    while (!seen.isDone() && System.nanoTime() < deadline) {
      nodeA.eventBus().publish(Addresses.OUTCOMES, new Outcome("p", 0, "probe", "x", "mock", Outcome.Status.OK,
          Usage.ZERO, 1, -1, null, null, null, null));
      try {
        seen.get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // not yet: publish again
      }
    }
    await(probe.unregister());
    assertThat(seen).as("node B receives node A's outcomes").isDone();
  }

  private static RoutingStats awaitRequests(RouterVerticle router, double requests) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    RoutingStats stats;
    do {
      stats = await(router.localStats(MODEL));
      double total = stats.deployments().stream().mapToDouble(RoutingStats.DeploymentStats::requests).sum();
      if (total >= requests) {
        return stats;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("router still at " + stats);
  }

  private static Outcome outcome(String requestId, String deployment, Outcome.Status status, ErrorCode error) {
    return new Outcome(requestId, 0, "gpt", deployment, "x", status, Usage.ZERO, 120, 30, error, null, null, null,
        null, BigDecimal.ZERO);
  }

  @Test
  @DisplayName("a connector's failure with Retry-After crosses the cluster with its wait (its own reply codec)")
  void retryAfterCrossesTheCluster() throws Exception {
    String cluster = "tollgate-router-test-" + UUID.randomUUID();
    nodeA = clustered(cluster);
    nodeB = clustered(cluster);
    await(nodeA.eventBus().consumer(Addresses.connectorCall("openai"),
        m -> m.reply(new io.tollgate.api.bus.UpstreamFailure(ErrorCode.UPSTREAM_RATE_LIMITED.wire(),
            "upstream answered HTTP 429", 2_000))).completion());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Throwable failure;
    do {
      // Until node B has heard of node A's consumer, the request finds no handler.
      failure = nodeB.eventBus().request(Addresses.connectorCall("openai"), "ping").toCompletionStage()
          .toCompletableFuture().handle((ok, err) -> err).get(10, TimeUnit.SECONDS);
    } while (failure instanceof io.vertx.core.eventbus.ReplyException r
        && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS && System.nanoTime() < deadline);
    while (failure instanceof java.util.concurrent.CompletionException c) {
      failure = c.getCause();
    }
    assertThat(failure).isInstanceOf(io.tollgate.api.bus.UpstreamFailure.class);
    io.tollgate.api.bus.UpstreamFailure u = (io.tollgate.api.bus.UpstreamFailure) failure;
    assertThat(u.failureCode()).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED.wire());
    assertThat(u.retryAfterMs()).isEqualTo(2_000);
    assertThat(u.getMessage()).isEqualTo("upstream answered HTTP 429");
    io.tollgate.api.GatewayException g = io.tollgate.api.GatewayException.from(u);
    assertThat(g.code()).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
    assertThat(g.retryAfterMs()).isEqualTo(2_000);
  }

  /** Loopback only, no multicast or cloud discovery; a cluster name of its own so parallel builds never meet. */
  private static Vertx clustered(String clusterName) throws Exception {
    Config config = ConfigUtil.loadConfig().setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1"));
    Vertx vertx = await(Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config))
        .buildClustered());
    Codecs.registerAll(vertx);
    return vertx;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
