package io.tollgate.api.codec;

import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Cancel;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.RouteRequest;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.bus.UpstreamFailure;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.routing.RoutingStats;
import io.tollgate.api.routing.RoutingStatsRequest;
import io.tollgate.api.usage.ReconcileReport;
import io.tollgate.api.usage.ReconcileRequest;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.tollgate.api.config.SecretReply;
import io.tollgate.api.config.SecretRequest;
import io.tollgate.api.channel.KeyFreeze;
import io.tollgate.api.channel.KeyFrozen;
import io.tollgate.api.channel.SigningSecretReply;
import io.tollgate.api.channel.SigningSecretRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Registers the default codec of every message type. Called once per {@link Vertx} at bootstrap,
 * before any verticle is deployed, on every node, so that no verticle depends on another having
 * deployed first.
 */
public final class Codecs {

  /** Every type sent on the event bus. */
  public static final List<Class<?>> MESSAGE_TYPES = List.of(
      RouteRequest.class, RouteResult.class, Attempt.class, UpstreamCall.class, CallStarted.class,
      StreamChunk.class, Cancel.class, Outcome.class, ConfigSnapshot.class, ConfigEvent.class, UsageEvent.class,
      UsageBatch.class, SecretRequest.class, SecretReply.class, RoutingStatsRequest.class, RoutingStats.class,
      ReconcileRequest.class, ReconcileReport.class,
      SigningSecretRequest.class, SigningSecretReply.class, KeyFreeze.class, KeyFrozen.class);

  private Codecs() {
  }

  public static void registerAll(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    for (Class<?> type : MESSAGE_TYPES) {
      register(bus, type);
    }
    bus.registerDefaultCodec(UpstreamFailure.class, new UpstreamFailureCodec());
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new RecordCodec<>(type));
  }
}
