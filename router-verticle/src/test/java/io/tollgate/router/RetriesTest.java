package io.tollgate.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.bus.UpstreamFailure;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Role;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.config.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Retries before the first byte: backoff with jitter, Retry-After, the attempt budget")
class RetriesTest {

  private static final Timeouts QUICK = new Timeouts(50, 50, 0, 0);

  private final AtomicReference<ConfigIndex> config = new AtomicReference<>();
  private final List<UpstreamCall> calls = new CopyOnWriteArrayList<>();
  /** Every wait the router asked for; the fake timer completes at once, so no test sleeps. */
  private final List<Long> waits = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deployRouter(Vertx vertx, VertxTestContext ctx) {
    Codecs.registerAll(vertx);
    vertx.deployVerticle(new RouterVerticle(new RouterOptions(100), config::get, System::nanoTime,
            new SplittableRandom(11), ms -> {
              waits.add(ms);
              return Future.succeededFuture();
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a lone deployment answering 500 is tried again after a jittered backoff within "
      + "[0, retry_backoff_ms * 2^(n-1)], then serves")
  void backoffThenServe(Vertx vertx, VertxTestContext ctx) {
    use(options(4, 3, 100L), deployment("only", 0));
    connector(vertx, script(fail(ErrorCode.UPSTREAM_ERROR, 0), fail(ErrorCode.UPSTREAM_UNREACHABLE, 0),
        fail(ErrorCode.UPSTREAM_TIMEOUT, 0), start()))
        .compose(v -> route(vertx, 60_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).as(r.message() + " " + r.attempts()).isTrue();
          assertThat(r.attempt()).as("the attempt number counts retries").isEqualTo(3);
          assertThat(calls).extracting(UpstreamCall::attempt).containsExactly(0, 1, 2, 3);
          assertThat(waits).hasSize(3);
          assertThat(waits.get(0)).isBetween(0L, 100L);
          assertThat(waits.get(1)).isBetween(0L, 200L);
          assertThat(waits.get(2)).isBetween(0L, 400L);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("full jitter: the waits of many retries spread over the whole range, capped by retry_backoff_max_ms")
  void jitterSpreads() {
    RoutingOptions o = new RoutingOptions(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, 100L, 300L);
    SplittableRandom random = new SplittableRandom(3);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2_000; i++) {
      long w = Backoff.delayMs(o, 5, 0, random);
      min = Math.min(min, w);
      max = Math.max(max, w);
    }
    assertThat(min).isLessThan(30);
    assertThat(max).isBetween(270L, 300L);
    assertThat(Backoff.delayMs(o, 1, 2_000, random)).as("Retry-After is a floor").isEqualTo(2_000);
  }

  @Test
  @DisplayName("an upstream 429 with Retry-After: 2 on the last deployment: the retry waits the 2 s the upstream asked for")
  void retryAfterHonoured(Vertx vertx, VertxTestContext ctx) {
    use(options(null, 1, 100L), deployment("only", 0));
    connector(vertx, script(fail(ErrorCode.UPSTREAM_RATE_LIMITED, 2_000), start()))
        .compose(v -> route(vertx, 60_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(waits).containsExactly(2_000L);
          assertThat(r.attempts()).extracting(Attempt::error).containsExactly(ErrorCode.UPSTREAM_RATE_LIMITED, null);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a Retry-After longer than what is left of the route budget is not waited for: the router answers at once")
  void retryAfterPastBudget(Vertx vertx, VertxTestContext ctx) {
    use(options(null, 1, 100L), deployment("only", 0));
    connector(vertx, script(fail(ErrorCode.UPSTREAM_RATE_LIMITED, 30_000), start()))
        .compose(v -> route(vertx, 5_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).as("every attempt was rate limited: the client gets the 429")
              .isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
          assertThat(r.attempts()).extracting(Attempt::error).containsExactly(ErrorCode.UPSTREAM_RATE_LIMITED);
          assertThat(waits).isEmpty();
          assertThat(calls).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a 400 caused by the request is never retried, not even on a lone deployment")
  void requestFaultNotRetried(Vertx vertx, VertxTestContext ctx) {
    use(options(null, 3, 100L), deployment("only", 0));
    connector(vertx, script(fail(ErrorCode.UPSTREAM_BAD_REQUEST, 0), start()))
        .compose(v -> route(vertx, 60_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
          assertThat(calls).hasSize(1);
          assertThat(waits).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("other deployments come first, without waiting; the retries go to the last one; "
      + "max_attempts caps the calls of one request")
  void attemptBudget(Vertx vertx, VertxTestContext ctx) {
    use(options(4, 5, 100L), deployment("a", 0), deployment("b", 1));
    connector(vertx, script(fail(ErrorCode.UPSTREAM_ERROR, 0), fail(ErrorCode.UPSTREAM_ERROR, 0),
        fail(ErrorCode.UPSTREAM_ERROR, 0), fail(ErrorCode.UPSTREAM_ERROR, 0), start()))
        .compose(v -> route(vertx, 60_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
          assertThat(r.attempts()).extracting(Attempt::deploymentId).containsExactly("a", "b", "b", "b");
          assertThat(waits).as("no wait before moving to b, one before each retry of b").hasSize(2);
          assertThat(r.message()).contains("all 4 attempts", "attempt budget of 4");
          ctx.completeNow();
        })));
  }

  private static RoutingOptions options(Integer maxAttempts, Integer retries, Long backoffMs) {
    return new RoutingOptions(null, 0L, null, null, null, null, null, null, null, null, null, 100, null, null, null,
        maxAttempts, retries, backoffMs, null);
  }

  private void use(RoutingOptions options, DeploymentConfig... deployments) {
    config.set(new ConfigIndex(new ConfigSnapshot(1, null, null,
        List.of(new ModelConfig("gpt", null, null, options, List.of(deployments))))));
  }

  private static DeploymentConfig deployment(String id, int priority) {
    return new DeploymentConfig(id, "openai", null, null, null, 1, priority, QUICK, null, null, null, null);
  }

  private static Future<RouteResult> route(Vertx vertx, long budgetMs) {
    ChatRequest chat = ChatRequest.builder("gpt", List.of(ChatMessage.of(Role.USER, "hi"))).stream(true).build();
    return vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE,
            new RouteRequest("req-1", chat, "tollgate.edge.test.stream", "key-1", "tenant-1", budgetMs))
        .map(Message::body);
  }

  /** A stand-in connector whose calls are answered by the script's steps, in order. */
  private Future<Void> connector(Vertx vertx, Deque<Consumer<Message<UpstreamCall>>> script) {
    return vertx.eventBus().<UpstreamCall>consumer(Addresses.connectorCall("openai"), msg -> {
      calls.add(msg.body());
      script.poll().accept(msg);
    }).completion();
  }

  @SafeVarargs
  private static Deque<Consumer<Message<UpstreamCall>>> script(Consumer<Message<UpstreamCall>>... steps) {
    return new ArrayDeque<>(List.of(steps));
  }

  private static Consumer<Message<UpstreamCall>> start() {
    return msg -> msg.reply(new CallStarted(msg.body().deployment().id(), "ctl"));
  }

  /** Fails the call as a connector does; with a Retry-After the failure carries it across the bus. */
  private static Consumer<Message<UpstreamCall>> fail(ErrorCode code, long retryAfterMs) {
    return msg -> {
      if (retryAfterMs > 0) {
        msg.reply(new UpstreamFailure(code.wire(), "upstream answered", retryAfterMs));
      } else {
        msg.fail(code.wire(), "upstream answered");
      }
    };
  }
}
