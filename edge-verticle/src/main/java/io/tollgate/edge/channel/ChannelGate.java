package io.tollgate.edge.channel;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.keys.ApiKey;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The two route handlers that put an external key's request through its channel, right after
 * authentication: {@link #readBody} (the signature covers the body, so it is read before the route's
 * own handlers; they find it read) and {@link #verify}. Internal keys pass both untouched.
 */
public final class ChannelGate {

  private static final String EXTERNAL = "tollgate.external";
  /**
   * Set by the edge on requests from this node's own batch worker: a line of a batch that a verified
   * request created runs without a signature of its own.
   */
  public static final String TRUSTED = "tollgate.trusted";

  private final ExternalChannel channel;
  private final BodyHandler body;
  private final Function<RoutingContext, ApiKey> keyOf;
  private final BiConsumer<RoutingContext, ApiKey> keyIs;
  private final Function<RoutingContext, String> clientIp;

  /**
   * @param channel  the node's external channel; null: external keys are refused with 503 here
   * @param maxBody  the edge's body limit
   */
  public ChannelGate(ExternalChannel channel, int maxBody, Function<RoutingContext, ApiKey> keyOf,
                     BiConsumer<RoutingContext, ApiKey> keyIs, Function<RoutingContext, String> clientIp) {
    this.channel = channel;
    this.body = BodyHandler.create(false).setBodyLimit(maxBody);
    this.keyOf = keyOf;
    this.keyIs = keyIs;
    this.clientIp = clientIp;
  }

  /** Whether the request came on the external channel (its answers are sanitized). */
  public static boolean external(RoutingContext ctx) {
    return ctx.get(EXTERNAL) != null;
  }

  public void readBody(RoutingContext ctx) {
    ApiKey key = keyOf.apply(ctx);
    if (key == null || !key.external()) {
      ctx.next();
      return;
    }
    if (ctx.get(TRUSTED) != null) {
      // A batch line of an external key: verified when the batch was created; still the channel's limits.
      if (channel != null) {
        keyIs.accept(ctx, channel.withDefaults(key));
      }
      ctx.next();
      return;
    }
    ctx.put(EXTERNAL, Boolean.TRUE);
    ctx.addHeadersEndHandler(v -> ExternalAnswers.strip(ctx.response().headers()));
    String type = ctx.request().getHeader("content-type");
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
      // Refused before any signature work: a multipart body is not kept whole, so it could never verify
      // and the partner's attempts would count towards freezing the key.
      ctx.fail(new GatewayException(ErrorCode.INVALID_REQUEST, "File uploads are not available to external keys "
          + "yet."));
      return;
    }
    body.handle(ctx);
  }

  public void verify(RoutingContext ctx) {
    if (!external(ctx)) {
      ctx.next();
      return;
    }
    if (channel == null) {
      ctx.fail(new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "This gateway node does not serve external keys."));
      return;
    }
    ApiKey key = keyOf.apply(ctx);
    byte[] bytes = ctx.body().available() && ctx.body().buffer() != null ? ctx.body().buffer().getBytes() : new byte[0];
    Context here = ctx.vertx().getOrCreateContext();
    Thread loop = Thread.currentThread();
    channel.verify(key, ctx.request().method().name(), ctx.request().path(), ctx.request().headers(), bytes,
        clientIp.apply(ctx)).onComplete(ar -> {
          Runnable then = () -> {
            if (ar.failed()) {
              ctx.fail(GatewayException.from(ar.cause()));
            } else {
              keyIs.accept(ctx, channel.withDefaults(key));
              ctx.next();
            }
          };
          // Redis may answer on another event loop: the rest of the request belongs to this one.
          if (Thread.currentThread() == loop) {
            then.run();
          } else {
            here.runOnContext(v -> then.run());
          }
        });
  }
}
