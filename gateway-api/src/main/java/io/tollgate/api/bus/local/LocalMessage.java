package io.tollgate.api.bus.local;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A message between two parts of one request's path that live on the same context (the local
 * path): delivered, and answered, as a task on that context, in order, as the event bus would
 * deliver it, but with no codec, no handler lookup, no reply consumer and no other event loop woken.
 * A failure has the event bus's own types ({@link ReplyException} with {@link ReplyFailure#TIMEOUT}
 * or {@link ReplyFailure#RECIPIENT_FAILURE}, a {@code ReplyException} body as the failure), so the
 * code on either end handles both paths alike.
 *
 * <p>Both ends must be confined to {@code context}: the handler runs on it and so do the
 * listeners of the reply.
 */
public final class LocalMessage<T> implements Message<T> {

  /** What {@link #replyAddress()} says when an answer is expected (nothing is registered under it). */
  public static final String LOCAL_REPLY = "local-reply";

  private final Context context;
  private final String address;
  private final T body;
  private final Promise<Message<Object>> reply;

  private LocalMessage(Context context, String address, T body, Promise<Message<Object>> reply) {
    this.context = context;
    this.address = address;
    this.body = body;
    this.reply = reply;
  }

  /**
   * Hands {@code body} to {@code handler} on {@code context} and completes with its reply, or fails
   * with a {@link ReplyFailure#TIMEOUT} after {@code timeoutMs} (a timer of that context).
   */
  @SuppressWarnings("unchecked")
  public static <T, R> Future<Message<R>> request(Context context, String address, T body, long timeoutMs,
                                                   Handler<Message<T>> handler) {
    Promise<Message<Object>> answer = Promise.promise();
    long timer = context.owner().setTimer(Math.max(1, timeoutMs), id -> answer.tryFail(new ReplyException(
        ReplyFailure.TIMEOUT, -1, "Timed out after waiting " + timeoutMs + "(ms) for a reply. address: " + address)));
    answer.future().onComplete(ar -> context.owner().cancelTimer(timer));
    LocalMessage<T> message = new LocalMessage<>(context, address, body, answer);
    context.runOnContext(v -> handler.handle(message));
    return (Future<Message<R>>) (Future<?>) answer.future();
  }

  /** Hands {@code body} to {@code handler} on {@code context}; no answer is expected. */
  public static <T> void send(Context context, String address, T body, Handler<Message<T>> handler) {
    LocalMessage<T> message = new LocalMessage<>(context, address, body, null);
    context.runOnContext(v -> handler.handle(message));
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public String replyAddress() {
    return reply == null ? null : LOCAL_REPLY;
  }

  @Override
  public boolean isSend() {
    return true;
  }

  @Override
  public void reply(Object answer, DeliveryOptions options) {
    if (reply == null) {
      return;
    }
    // A task, as on the event bus: the replier finishes what it was doing before its caller resumes.
    context.runOnContext(v -> {
      if (answer instanceof ReplyException failure) {
        reply.tryFail(failure);
      } else {
        reply.tryComplete(new LocalMessage<>(context, LOCAL_REPLY, answer, null));
      }
    });
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    return Future.failedFuture(new UnsupportedOperationException("a local message cannot be answered with a request"));
  }
}
