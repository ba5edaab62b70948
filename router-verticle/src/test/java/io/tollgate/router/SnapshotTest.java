package io.tollgate.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.routing.RoutingStats;
import io.tollgate.router.policy.RoutingSnapshot;
import io.tollgate.router.policy.RoutingState;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A router that joins late starts warm from the routing snapshot in Redis")
class SnapshotTest {

  private static final ModelConfig MODEL = new ModelConfig("gpt", null, "thompson",
      new RoutingOptions(null, 0L, null, null, null, null, null, null, null, null, null, null, null, null, null),
      List.of(new DeploymentConfig("a", "mock", null, null, null, 1, 0, null, null, null, null, null),
          new DeploymentConfig("b", "mock", null, null, null, 1, 1, null, null, null, null, null)));
  private static final ConfigIndex INDEX = new ConfigIndex(new ConfigSnapshot(1, null, null, List.of(MODEL)));

  private EmbeddedRedisServer redis;
  private Vertx vertx;

  @BeforeEach
  void start() {
    redis = EmbeddedRedisServer.start();
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.stop();
  }

  @Test
  @DisplayName("router A learns from outcomes and writes the snapshot; router B, deployed afterwards, "
      + "starts with A's statistics although it never saw those outcomes")
  void lateJoinerStartsWarm() throws Exception {
    RouterOptions options = new RouterOptions(100, redis.url(), 50);
    RouterVerticle a = new RouterVerticle(options, () -> INDEX);
    await(vertx.deployVerticle(a));
    for (int i = 0; i < 8; i++) {
      vertx.eventBus().publish(Addresses.OUTCOMES, outcome("a", i < 6));
    }
    vertx.eventBus().publish(Addresses.OUTCOMES, outcome("b", false));
    RoutingStats learned = awaitStats(a, 9);
    awaitSnapshotWith(9);

    RouterVerticle b = new RouterVerticle(options, () -> INDEX);
    await(vertx.deployVerticle(b));
    RoutingStats warm = await(b.localStats(MODEL));
    assertThat(warm.deployments()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      RoutingStats.DeploymentStats got = warm.deployments().get(i);
      RoutingStats.DeploymentStats want = learned.deployments().get(i);
      assertThat(got.requests()).isEqualTo(want.requests());
      assertThat(got.alpha()).isEqualTo(want.alpha());
      assertThat(got.beta()).isEqualTo(want.beta());
    }
    assertThat(warm.deployments().get(0).ewmaLatencyMs()).isEqualTo(120.0);
  }

  @Test
  @DisplayName("without Redis reachable a router starts cold instead of failing")
  void unreachableRedisStartsCold() throws Exception {
    redis.stop();
    RouterVerticle cold = new RouterVerticle(new RouterOptions(100, redis.url(), 50), () -> INDEX);
    await(vertx.deployVerticle(cold));
    assertThat(await(cold.localStats(MODEL)).deployments().get(0).requests()).isZero();
  }

  @Test
  @DisplayName("a restored snapshot is aged by the time since it was taken (half-life) and never overwrites "
      + "what the router already learned")
  void restoreDecaysAndKeepsLocal() {
    ModelConfig decaying = new ModelConfig("gpt", null, "thompson", new RoutingOptions(null, 60_000L, null, null,
        null, null, null, null, null, null, null, null, null, null, null), MODEL.deployments());
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    RoutingState source = new RoutingState(clock::get);
    for (int i = 0; i < 8; i++) {
      source.observe(outcome("a", true), decaying);
    }
    RoutingSnapshot snapshot = source.snapshot(1_000_000);

    RoutingState fresh = new RoutingState(clock::get);
    fresh.observe(outcome("b", true), decaying);
    assertThat(fresh.restore(snapshot, 1_000_000 + 60_000)).as("only a: b was learned here").isEqualTo(1);
    List<RoutingStats.DeploymentStats> d = fresh.stats(decaying, "v").deployments();
    assertThat(d.get(0).requests()).as("one half-life old").isCloseTo(4, within(1e-9));
    assertThat(d.get(1).requests()).isEqualTo(1);
  }

  private static Outcome outcome(String deployment, boolean ok) {
    return new Outcome("r", 0, "gpt", deployment, "mock", ok ? Outcome.Status.OK : Outcome.Status.ERROR, Usage.ZERO,
        120, -1, ok ? null : ErrorCode.UPSTREAM_ERROR, null, null, null, null, BigDecimal.ZERO);
  }

  private static RoutingStats awaitStats(RouterVerticle router, double requests) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    RoutingStats stats;
    do {
      stats = await(router.localStats(MODEL));
      if (stats.deployments().stream().mapToDouble(RoutingStats.DeploymentStats::requests).sum() >= requests) {
        return stats;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("router still at " + stats);
  }

  /** The snapshot is written every 50 ms: read it back until it holds all outcomes (10 s at most). */
  private void awaitSnapshotWith(double requests) throws Exception {
    StatsSnapshots reader = new StatsSnapshots(vertx, redis.url(), 50);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      RoutingSnapshot s = await(reader.load());
      if (s != null && s.models().containsKey("gpt") && s.models().get("gpt").values().stream()
          .mapToDouble(arm -> arm.requests()).sum() >= requests) {
        reader.close();
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no complete snapshot in Redis");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }
}
