package io.tollgate.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.Timeouts;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.Operation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Router: deployments are picked only for what they can serve")
class CapabilityRoutingTest {

  private static final Timeouts QUICK = new Timeouts(50, 50, 0, 0);
  private final List<UpstreamCall> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    Codecs.registerAll(vertx);
    ConfigIndex index = new ConfigIndex(new ConfigSnapshot(1, null, null, List.of(
        new ModelConfig("mixed", List.of(), null, List.of(
            deployment("chat-only", "openai", 0, List.of("chat", "streaming")),
            deployment("claude", "anthropic", 1, null),
            deployment("full", "openai", 2, null))),
        new ModelConfig("plain", List.of(), null, List.of(
            deployment("plain-1", "openai", 0, List.of("chat")),
            deployment("plain-2", "anthropic", 1, List.of("chat", "vision")))))));
    Future.all(connector(vertx, "openai"), connector(vertx, "anthropic"))
        .compose(v -> vertx.deployVerticle(new RouterVerticle(new RouterOptions(100), () -> index)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a tools request skips the deployment declared [chat, streaming] for the next one that has tools")
  void skipsIncapable(Vertx vertx, VertxTestContext ctx) {
    route(vertx, new RouteRequest("r1", chat("mixed").tools(List.of(Tool.function("f", null, RawJson.EMPTY_OBJECT)))
        .build(), "s", "k", "t", 10_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isTrue();
          assertThat(r.deploymentId()).isEqualTo("claude");
          assertThat(calls).extracting(c -> c.deployment().id()).containsExactly("claude");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a plain chat still goes to the first deployment; embeddings go to the one provider default that has them")
  void plainAndEmbeddings(Vertx vertx, VertxTestContext ctx) {
    route(vertx, new RouteRequest("r2", chat("mixed").build(), "s", "k", "t", 10_000))
        .compose(r -> {
          assertThat(r.deploymentId()).isEqualTo("chat-only");
          return route(vertx, RouteRequest.of("r3", new EmbeddingsRequest("mixed", List.of("x"), null, null, null,
              null, null), "s", "k", "t", 10_000));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.deploymentId()).isEqualTo("full");
          UpstreamCall last = calls.get(calls.size() - 1);
          assertThat(last.operation()).isEqualTo(Operation.EMBEDDINGS);
          assertThat(last.chat()).isNull();
          assertThat(last.payload()).isInstanceOf(EmbeddingsRequest.class);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("no deployment with tools: a 400 capability_not_supported naming 'tools', and no connector is called")
  void refusesMissingCapability(Vertx vertx, VertxTestContext ctx) {
    route(vertx, new RouteRequest("r4", chat("plain").tools(List.of(Tool.function("f", null, RawJson.EMPTY_OBJECT)))
        .build(), "s", "k", "t", 10_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.ok()).isFalse();
          assertThat(r.error()).isEqualTo(ErrorCode.CAPABILITY_NOT_SUPPORTED);
          assertThat(r.error().status()).isEqualTo(400);
          assertThat(r.message()).contains("'tools'").contains("plain");
          assertThat(calls).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("capabilities spread over deployments but none with all: refused, naming them together")
  void refusesSplitCapabilities(Vertx vertx, VertxTestContext ctx) {
    ChatRequest visionStream = ChatRequest.builder("plain", List.of(new ChatMessage(Role.USER, List.of(
        new ContentPart.Image("https://x/y.png", null, null, null, null)), null))).stream(true).build();
    route(vertx, new RouteRequest("r5", visionStream, "s", "k", "t", 10_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.error()).isEqualTo(ErrorCode.CAPABILITY_NOT_SUPPORTED);
          assertThat(r.message()).contains("'streaming'");
          assertThat(calls).isEmpty();
          ctx.completeNow();
        })));
  }

  private static ChatRequest.Builder chat(String model) {
    return ChatRequest.builder(model, List.of(ChatMessage.of(Role.USER, "hi")));
  }

  private static DeploymentConfig deployment(String id, String provider, int priority, List<String> caps) {
    return new DeploymentConfig(id, provider, null, null, null, 1, priority, QUICK, null, null, null, null, null,
        null, null, caps);
  }

  private static Future<RouteResult> route(Vertx vertx, RouteRequest request) {
    return vertx.eventBus().<RouteResult>request(Addresses.ROUTER_ROUTE, request).map(Message::body);
  }

  private Future<Void> connector(Vertx vertx, String provider) {
    return vertx.eventBus().<UpstreamCall>consumer(Addresses.connectorCall(provider), msg -> {
      calls.add(msg.body());
      msg.reply(new CallStarted(msg.body().deployment().id(), "ctl"));
    }).completion();
  }
}
