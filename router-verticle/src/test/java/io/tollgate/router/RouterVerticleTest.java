package io.tollgate.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.routing.RoutingStats;
import io.tollgate.api.routing.RoutingStatsRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
@DisplayName("Router verticle: resolving a model and failing over between deployments")
class RouterVerticleTest {

  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticleTest.class);
  private static final String STREAM = "tollgate.edge.test.stream";
  private static final String CONTROL = "ctl-addr";

  /** Short timeouts so that a connector that never answers costs a fraction of a second. */
  private static final Timeouts QUICK = new Timeouts(50, 50, 0, 0);
  private static final RouterOptions OPTIONS = new RouterOptions(100);

  private final AtomicReference<ConfigIndex> config = new AtomicReference<>();
  /** Every UpstreamCall a stand-in connector received, in arrival order. */
  private final List<UpstreamCall> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deployRouter(Vertx vertx, VertxTestContext ctx) {
    Codecs.registerAll(vertx);
    config.set(index(new ModelConfig("gpt", List.of("gpt-latest"), null, List.of(
        deployment("primary", "openai", 0), deployment("backup", "mock", 1)))));
    vertx.deployVerticle(new RouterVerticle(OPTIONS, config::get)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a retryable failure of the first deployment moves on to the second, and both attempts are listed")
  void failsOverOnRetryableError(Vertx vertx, VertxTestContext ctx) {
    Future.all(connector(vertx, "openai", failing(ErrorCode.UPSTREAM_ERROR)), connector(vertx, "mock", starting()))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(r.model()).isEqualTo("gpt");
          assertThat(r.deploymentId()).isEqualTo("backup");
          assertThat(r.provider()).isEqualTo("mock");
          assertThat(r.controlAddress()).isEqualTo(CONTROL);
          assertThat(r.attempts()).extracting(Attempt::deploymentId, Attempt::provider, Attempt::error)
              .containsExactly(
                  tuple("primary", "openai", ErrorCode.UPSTREAM_ERROR),
                  tuple("backup", "mock", null));
          assertThat(r.attempts().get(0).message()).isEqualTo("boom");
          assertThat(r.attempts().get(1).ok()).isTrue();

          assertThat(calls).extracting(c -> c.deployment().id()).containsExactly("primary", "backup");
          assertThat(calls).extracting(UpstreamCall::attempt).containsExactly(0, 1);
          UpstreamCall first = calls.get(0);
          assertThat(first.requestId()).isEqualTo("req-1");
          assertThat(first.model()).isEqualTo("gpt");
          assertThat(first.streamAddress()).isEqualTo(STREAM);
          assertThat(first.keyId()).isEqualTo("key-1");
          assertThat(first.tenantId()).isEqualTo("tenant-1");
          assertThat(first.chat().messages()).containsExactly(ChatMessage.of(Role.USER, "hi"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("when the first deployment starts, no other is called")
  void firstStarts(Vertx vertx, VertxTestContext ctx) {
    Future.all(connector(vertx, "openai", starting()), connector(vertx, "mock", starting()))
        .compose(v -> route(vertx, "gpt-latest"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(r.model()).as("an alias routes to the model's public name").isEqualTo("gpt");
          assertThat(r.deploymentId()).isEqualTo("primary");
          assertThat(r.attempts()).hasSize(1);
          assertThat(calls).extracting(c -> c.deployment().id()).containsExactly("primary");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a non-retryable upstream answer (bad request) stops failover at once and is passed on")
  void badRequestStops(Vertx vertx, VertxTestContext ctx) {
    Future.all(connector(vertx, "openai", failing(ErrorCode.UPSTREAM_BAD_REQUEST)), connector(vertx, "mock", starting()))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isFalse();
          assertThat(r.error()).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
          assertThat(r.message()).isEqualTo("boom");
          assertThat(r.deploymentId()).isNull();
          assertThat(r.attempts()).extracting(Attempt::deploymentId, Attempt::error)
              .containsExactly(tuple("primary", ErrorCode.UPSTREAM_BAD_REQUEST));
          assertThat(calls).as("the backup is never called").hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a provider without any connector counts as an unavailable attempt and the next one is tried")
  void noConnectorForProvider(Vertx vertx, VertxTestContext ctx) {
    connector(vertx, "mock", starting())
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(r.deploymentId()).isEqualTo("backup");
          assertThat(r.attempts()).extracting(Attempt::deploymentId, Attempt::error).containsExactly(
              tuple("primary", ErrorCode.SERVICE_UNAVAILABLE),
              tuple("backup", null));
          assertThat(r.attempts().get(0).message()).contains("openai");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("when no provider has a connector the result is NO_DEPLOYMENT_AVAILABLE")
  void noConnectorAtAll(Vertx vertx, VertxTestContext ctx) {
    route(vertx, "gpt").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.ok()).isFalse();
      assertThat(r.error()).isEqualTo(ErrorCode.NO_DEPLOYMENT_AVAILABLE);
      assertThat(r.attempts()).extracting(Attempt::deploymentId, Attempt::error).containsExactly(
          tuple("primary", ErrorCode.SERVICE_UNAVAILABLE),
          tuple("backup", ErrorCode.SERVICE_UNAVAILABLE));
      assertThat(r.message()).contains("primary", "backup");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("when every deployment fails upstream the result is UPSTREAM_ERROR naming each attempt")
  void allFail(Vertx vertx, VertxTestContext ctx) {
    Future.all(connector(vertx, "openai", failing(ErrorCode.UPSTREAM_RATE_LIMITED)),
            connector(vertx, "mock", failing(ErrorCode.UPSTREAM_ERROR)))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
          assertThat(r.attempts()).as("the last deployment gets its one retry (routing.retries defaults to 1)")
              .extracting(Attempt::deploymentId, Attempt::error)
              .containsExactly(tuple("primary", ErrorCode.UPSTREAM_RATE_LIMITED),
                  tuple("backup", ErrorCode.UPSTREAM_ERROR), tuple("backup", ErrorCode.UPSTREAM_ERROR));
          assertThat(r.message()).contains("all 3 attempts for model gpt failed", "primary", "backup",
              "upstream_rate_limited", "upstream_error");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a connector that never answers times out as UPSTREAM_TIMEOUT and the next deployment is tried")
  void connectorTimeout(Vertx vertx, VertxTestContext ctx) {
    Future.all(connector(vertx, "openai", msg -> LOG.info("stand-in connector stays silent")),
            connector(vertx, "mock", starting()))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(r.deploymentId()).isEqualTo("backup");
          assertThat(r.attempts()).extracting(Attempt::error).containsExactly(ErrorCode.UPSTREAM_TIMEOUT, null);
          assertThat(r.attempts().get(0).millis()).as("waited connect + first byte + margin")
              .isGreaterThanOrEqualTo(190);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown model is MODEL_NOT_FOUND without any attempt")
  void unknownModel(Vertx vertx, VertxTestContext ctx) {
    connector(vertx, "openai", starting())
        .compose(v -> route(vertx, "no-such-model"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
          assertThat(r.model()).isEqualTo("no-such-model");
          assertThat(r.message()).contains("no-such-model");
          assertThat(r.attempts()).isEmpty();
          assertThat(calls).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a model whose deployments are all drained (weight 0) has no deployment available")
  void allDrained(Vertx vertx, VertxTestContext ctx) {
    config.set(index(new ModelConfig("gpt", null, null, List.of(
        new DeploymentConfig("drained", "openai", null, null, null, 0, 0, QUICK, null, null, null, null)))));
    connector(vertx, "openai", starting())
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.NO_DEPLOYMENT_AVAILABLE);
          assertThat(r.attempts()).isEmpty();
          assertThat(calls).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("before the configuration is loaded the router answers SERVICE_UNAVAILABLE")
  void noConfig(Vertx vertx, VertxTestContext ctx) {
    config.set(null);
    route(vertx, "gpt").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.error()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
      assertThat(r.model()).isEqualTo("gpt");
      assertThat(r.attempts()).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("an attempt that timed out is cancelled at every connector of its provider before the next one starts, "
      + "and the started attempt's number is in the answer")
  void supersededAttemptIsCancelled(Vertx vertx, VertxTestContext ctx) {
    List<Cancel> cancels = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Cancel>consumer(Addresses.connectorCancel("openai"), m -> cancels.add(m.body()));
    Future.all(connector(vertx, "openai", msg -> LOG.info("stand-in connector stays silent")),
            connector(vertx, "mock", starting()))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(r.attempt()).isEqualTo(1);
          assertThat(cancels).extracting(Cancel::requestId, Cancel::attempt).containsExactly(tuple("req-1", 0));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the route budget bounds the whole chain: with candidates left, the router answers UPSTREAM_TIMEOUT "
      + "when it is spent, not after every candidate's own timeout")
  void routeBudget(Vertx vertx, VertxTestContext ctx) {
    List<DeploymentConfig> five = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(deployment("silent-" + i, "openai", i));
    }
    config.set(index(new ModelConfig("gpt", null, null, five)));
    long started = System.nanoTime();
    connector(vertx, "openai", msg -> LOG.info("stand-in connector stays silent"))
        .compose(v -> route(vertx, "gpt", 250))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          long tookMs = (System.nanoTime() - started) / 1_000_000;
          assertThat(r.error()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
          assertThat(calls).as("each attempt gets 200 ms, the budget 250: two tries").hasSize(2);
          assertThat(r.attempts()).extracting(Attempt::error).containsOnly(ErrorCode.UPSTREAM_TIMEOUT);
          assertThat(r.message()).contains("route budget of 250 ms");
          assertThat(tookMs).as("answered at the budget, not after 5 x 200 ms").isLessThan(900);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a model with a policy this node does not implement is answered at once with a clear error")
  void unknownPolicy(Vertx vertx, VertxTestContext ctx) {
    config.set(index(new ModelConfig("gpt", null, "rules", List.of(deployment("primary", "openai", 0)))));
    connector(vertx, "openai", starting())
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
          assertThat(r.message()).contains("routing policy");
          assertThat(calls).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an exception while routing is answered with INTERNAL at once, never left unanswered")
  void exceptionAnswered(Vertx vertx, VertxTestContext ctx) {
    // A request without a chat (a buggy or foreign sender) makes routing throw.
    vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE,
            new RouteRequest("req-1", null, STREAM, "key-1", "tenant-1", 60_000))
        .map(Message::body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.error()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(r.message()).contains("req-1");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("the decision (policy, routing version, propensity) travels in every call and in the answer")
  void decisionCarried(Vertx vertx, VertxTestContext ctx) {
    Future.all(connector(vertx, "openai", failing(ErrorCode.UPSTREAM_ERROR)), connector(vertx, "mock", starting()))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          RouteDecision d = r.decision();
          assertThat(d.policy()).isEqualTo("priority");
          assertThat(d.routingVersion()).hasSize(12);
          assertThat(d.propensity()).isEqualTo(1.0);
          assertThat(calls).extracting(UpstreamCall::decision).containsExactly(d, d);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the router publishes the outcome of attempts no connector answered (none reachable, no answer in time), "
      + "and leaves a connector's own failure to the connector")
  void routerPublishesUnansweredAttempts(Vertx vertx, VertxTestContext ctx) {
    config.set(index(new ModelConfig("gpt", null, null, List.of(deployment("nobody", "absent", 0),
        deployment("silent", "openai", 1), deployment("refusing", "mock", 2), deployment("last", "other", 3)))));
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Outcome>consumer(Addresses.OUTCOMES, m -> outcomes.add(m.body()));
    Future.all(connector(vertx, "openai", msg -> LOG.info("stand-in connector stays silent")),
            connector(vertx, "mock", failing(ErrorCode.UPSTREAM_ERROR)), connector(vertx, "other", starting()))
        .compose(v -> route(vertx, "gpt"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.deploymentId()).isEqualTo("last");
          assertThat(outcomes).extracting(Outcome::deploymentId, Outcome::attempt, Outcome::status, Outcome::error)
              .containsExactly(
                  tuple("nobody", 0, Outcome.Status.ERROR, ErrorCode.SERVICE_UNAVAILABLE),
                  tuple("silent", 1, Outcome.Status.ERROR, ErrorCode.UPSTREAM_TIMEOUT));
          assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.decision()).isEqualTo(r.decision());
            assertThat(o.costUsd()).isZero();
            assertThat(o.requestId()).isEqualTo("req-1");
            assertThat(o.model()).isEqualTo("gpt");
          });
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("outcomes teach the router: after a deployment's breaker opens, requests go straight to the next, "
      + "and the statistics say why")
  void outcomesOpenBreaker(Vertx vertx, VertxTestContext ctx) {
    for (int i = 0; i < RoutingOptions.DEFAULT_BREAKER_FAILURES; i++) {
      vertx.eventBus().publish(Addresses.OUTCOMES, new Outcome("old-" + i, 0, "gpt", "primary", "openai",
          Outcome.Status.ERROR, Usage.ZERO, 5, -1, ErrorCode.UPSTREAM_ERROR, "boom", null, null));
    }
    Future.all(connector(vertx, "openai", starting()), connector(vertx, "mock", starting()))
        .compose(v -> vertx.eventBus().<RoutingStats>request(Addresses.ROUTER_STATS, new RoutingStatsRequest("gpt")))
        .compose(stats -> {
          ctx.verify(() -> assertThat(stats.body().deployments())
              .extracting(RoutingStats.DeploymentStats::id, RoutingStats.DeploymentStats::breaker,
                  d -> Math.round(d.failures())) // decayed by the real clock's microseconds
              .containsExactly(tuple("primary", "open", 5L), tuple("backup", "closed", 0L)));
          return route(vertx, "gpt");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.deploymentId()).isEqualTo("backup");
          assertThat(calls).extracting(c -> c.deployment().id()).containsExactly("backup");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("statistics of an unknown model are refused with MODEL_NOT_FOUND")
  void statsUnknownModel(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().request(Addresses.ROUTER_STATS, new RoutingStatsRequest("nope"))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(((ReplyException) e).failureCode()).isEqualTo(ErrorCode.MODEL_NOT_FOUND.wire());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a rules model routes to the model its first matching rule names, under that model's policy; "
      + "the decision says which rule and why; a rule naming a missing model is a clear error")
  void rules(Vertx vertx, VertxTestContext ctx) {
    ModelConfig gpt = new ModelConfig("gpt", null, null, List.of(deployment("primary", "openai", 0)));
    ModelConfig auto = new ModelConfig("auto", null, ModelConfig.POLICY_RULES, null, null, List.of(
        new io.tollgate.api.config.RouteRule("greetings", new io.tollgate.api.config.RouteRule.Condition(null, null,
            List.of("hi"), null, null, null), "gpt"),
        new io.tollgate.api.config.RouteRule("rest", null, "missing")));
    config.set(new ConfigIndex(new ConfigSnapshot(1, null, null, List.of(gpt, auto))));
    connector(vertx, "openai", starting())
        .compose(v -> route(vertx, "auto"))
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.deploymentId()).isEqualTo("primary");
            assertThat(calls.get(0).model()).as("the outcome is the target model's").isEqualTo("gpt");
            assertThat(r.decision().policy()).isEqualTo("rules");
            assertThat(r.decision().reason()).contains("rule 'greetings'", "keyword 'hi'", "chose model gpt",
                "priority");
          });
          ChatRequest other = ChatRequest.builder("auto", List.of(ChatMessage.of(Role.USER, "bye"))).stream(true).build();
          return vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE,
              new RouteRequest("req-2", other, STREAM, "key-1", "tenant-1", 60_000)).map(Message::body);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.NO_DEPLOYMENT_AVAILABLE);
          assertThat(r.message()).contains("rule 'rest'", "'missing'", "does not exist");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a tenant the canary covers is served by the canary's routing version, carried in the call "
      + "(and so in its outcome); other tenants by the stable one")
  void canaryVersionInCall(Vertx vertx, VertxTestContext ctx) {
    ModelConfig stable = new ModelConfig("gpt", null, null, List.of(deployment("primary", "openai", 0),
        deployment("backup", "openai", 1)));
    ModelConfig canaried = stable.withCanary(new io.tollgate.api.config.RoutingCanary(null, null,
        java.util.Map.of("primary", 0), null, List.of("tenant-1")));
    config.set(index(canaried));
    ChatRequest chat = ChatRequest.builder("gpt", List.of(ChatMessage.of(Role.USER, "hi"))).stream(true).build();
    connector(vertx, "openai", starting())
        .compose(v -> route(vertx, "gpt"))
        .compose(r -> vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE,
            new RouteRequest("req-2", chat, STREAM, "key-2", "tenant-2", 60_000)).map(Message::body))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(calls).extracting(c -> c.deployment().id()).containsExactly("backup", "primary");
          assertThat(calls.get(0).decision().routingVersion())
              .isEqualTo(io.tollgate.router.policy.RoutingVersion.of(canaried.canaryApplied()));
          assertThat(calls.get(1).decision().routingVersion())
              .isEqualTo(io.tollgate.router.policy.RoutingVersion.of(stable));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the router answers pings")
  void ping(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().request(Addresses.ROUTER_PING, null).onComplete(ctx.succeedingThenComplete());
  }

  private static DeploymentConfig deployment(String id, String provider, int priority) {
    return new DeploymentConfig(id, provider, null, null, null, 1, priority, QUICK, null, null, null, null);
  }

  private static ConfigIndex index(ModelConfig model) {
    return new ConfigIndex(new ConfigSnapshot(1, null, null, List.of(model)));
  }

  private static Future<RouteResult> route(Vertx vertx, String model) {
    return route(vertx, model, 60_000);
  }

  private static Future<RouteResult> route(Vertx vertx, String model, long budgetMs) {
    ChatRequest chat = ChatRequest.builder(model, List.of(ChatMessage.of(Role.USER, "hi"))).stream(true).build();
    return vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE,
            new RouteRequest("req-1", chat, STREAM, "key-1", "tenant-1", budgetMs))
        .map(Message::body);
  }

  /** A stand-in connector for {@code provider}: records each call, then lets {@code behaviour} answer. */
  private Future<Void> connector(Vertx vertx, String provider, Consumer<Message<UpstreamCall>> behaviour) {
    Handler<Message<UpstreamCall>> handler = msg -> {
      calls.add(msg.body());
      behaviour.accept(msg);
    };
    return vertx.eventBus().consumer(Addresses.connectorCall(provider), handler).completion();
  }

  private static Consumer<Message<UpstreamCall>> starting() {
    return msg -> msg.reply(new CallStarted(msg.body().deployment().id(), CONTROL));
  }

  private static Consumer<Message<UpstreamCall>> failing(ErrorCode code) {
    return msg -> msg.fail(code.wire(), "boom");
  }
}
