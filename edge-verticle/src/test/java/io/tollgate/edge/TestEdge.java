package io.tollgate.edge;

import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An edge verticle on a free loopback port with a fixed key index, for socket-level tests. */
final class TestEdge {

  static final String SECRET = "tg-edge-test-0123456789";
  static final String OFFICE_SECRET = "tg-edge-office-0123456789";
  /** A key usable only from 203.0.113.0/24. */
  static final ApiKey OFFICE = new ApiKey("k-office", "t-1", "office", Secrets.hash(OFFICE_SECRET), null, true,
      null, List.of("203.0.113.0/24"), null, 1);
  static final ApiKey ANYWHERE = new ApiKey("k-any", "t-1", "any", Secrets.hash(SECRET), null, true, null, null,
      null, 1);
  static final ConfigIndex INDEX = new ConfigIndex(new ConfigSnapshot(1,
      List.of(new Tenant("t-1", "acme", true, null, 1)), List.of(OFFICE, ANYWHERE), null));

  private TestEdge() {
  }

  /** Deploys one edge instance; admission is never reached by these tests (no chat calls). */
  static EdgeVerticle start(Vertx vertx, EdgeOptions options) {
    EdgeVerticle edge = new EdgeVerticle(options.withPort(0), () -> INDEX, new TrafficGate(null, null, null));
    await(vertx.deployVerticle(edge));
    return edge;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed within 5 s", e);
    }
  }
}
