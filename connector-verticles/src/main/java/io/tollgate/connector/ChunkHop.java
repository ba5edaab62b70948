package io.tollgate.connector;

import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.local.LocalMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * Where a call's chunks go: over the event bus to the edge's stream address, or, on the local path,
 * straight to the edge instance on this connector's own context (only for that edge's address).
 */
interface ChunkHop {

  /** A chunk whose delivery is acknowledged: fails when nobody wants the stream any more, or after {@code timeoutMs}. */
  Future<?> request(String address, StreamChunk chunk, long timeoutMs);

  void send(String address, StreamChunk chunk);

  static ChunkHop bus(EventBus bus) {
    return new ChunkHop() {
      @Override
      public Future<?> request(String address, StreamChunk chunk, long timeoutMs) {
        return bus.request(address, chunk, new DeliveryOptions().setSendTimeout(timeoutMs));
      }

      @Override
      public void send(String address, StreamChunk chunk) {
        bus.send(address, chunk);
      }
    };
  }

  /** {@code edge}'s chunks (those for {@code edgeAddress}) as local messages on {@code context}; others through {@code otherwise}. */
  static ChunkHop local(Context context, String edgeAddress, Handler<Message<StreamChunk>> edge, ChunkHop otherwise) {
    return new ChunkHop() {
      @Override
      public Future<?> request(String address, StreamChunk chunk, long timeoutMs) {
        return edgeAddress.equals(address) ? LocalMessage.request(context, address, chunk, timeoutMs, edge)
            : otherwise.request(address, chunk, timeoutMs);
      }

      @Override
      public void send(String address, StreamChunk chunk) {
        if (edgeAddress.equals(address)) {
          LocalMessage.send(context, address, chunk, edge);
        } else {
          otherwise.send(address, chunk);
        }
      }
    };
  }
}
