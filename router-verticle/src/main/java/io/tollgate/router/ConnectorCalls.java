package io.tollgate.router;

import io.tollgate.api.Addresses;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * How the failover reaches a provider's connectors: over the event bus (any instance on any node),
 * or, on the local path, the connector started on the router's own context. Either way a failure
 * is an event-bus {@code ReplyException} (timeout, no handlers, the connector's own failure).
 */
@FunctionalInterface
public interface ConnectorCalls {

  Future<Message<CallStarted>> call(String provider, UpstreamCall call, long timeoutMs);

  static ConnectorCalls bus(EventBus bus) {
    return (provider, call, timeoutMs) -> bus.request(Addresses.connectorCall(provider), call,
        new DeliveryOptions().setSendTimeout(timeoutMs));
  }
}
