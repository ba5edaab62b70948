package io.tollgate.api.usage;

import io.tollgate.api.ErrorCode;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The receiving end of usage delivery, shared by billing and audit: each {@link UsageBatch} goes to
 * a {@link Batcher} and is acknowledged only when every event of it committed; any failure makes the
 * producing edge send it again, whole (the writers are idempotent per request).
 */
public final class UsageConsumer {

  private UsageConsumer() {
  }

  public static MessageConsumer<UsageBatch> register(Vertx vertx, String address, Batcher<UsageEvent> batcher) {
    return vertx.eventBus().consumer(address, message -> {
      Promise<Void> written = Promise.promise();
      batcher.add(message.body().events(), written);
      written.future().onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(null);
        } else {
          message.fail(ErrorCode.SERVICE_UNAVAILABLE.wire(), ar.cause().getMessage());
        }
      });
    });
  }
}
