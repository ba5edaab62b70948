package io.tollgate.edge.channel;

import io.tollgate.api.GatewayException;
import io.tollgate.api.channel.ChannelAddresses;
import io.tollgate.api.channel.SigningSecretReply;
import io.tollgate.api.channel.SigningSecretRequest;
import io.tollgate.api.keys.ApiKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * External keys' signing secrets, asked of an admin node once per key version and kept in this
 * node's memory (shared by its edge instances). Concurrent first requests share one question; a
 * failed answer is not kept. The secret is never logged: {@link SigningSecretReply#toString} hides it.
 */
public final class SigningSecrets {

  private record Entry(long version, Future<byte[]> secret) {
  }

  private final Vertx vertx;
  private final DeliveryOptions delivery;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  public SigningSecrets(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** The key's signing secret as of the key's version this node knows. */
  Future<byte[]> of(ApiKey key) {
    Entry known = cache.get(key.id());
    if (known != null && known.version() == key.version() && !known.secret().failed()) {
      return known.secret();
    }
    Entry fresh = new Entry(key.version(), vertx.eventBus()
        .<SigningSecretReply>request(ChannelAddresses.SIGNING_SECRET, new SigningSecretRequest(key.id()), delivery)
        .map(m -> m.body().secret().getBytes(StandardCharsets.UTF_8))
        .recover(e -> Future.failedFuture(GatewayException.from(e))));
    cache.put(key.id(), fresh);
    return fresh.secret();
  }
}
